/** What the fuzz driver sends a worker process and what it answers (over IPC, structured clone). */

export type TargetName = 'js' | 'ir' | 'test-crash' | 'test-hang';

export interface FuzzCase {
  readonly target: TargetName;
  /** The input: a JavaScript function's source (js) or IR text (ir, test targets). */
  readonly text: string;
  /** js: argument sets to call the function on. */
  readonly args?: readonly (readonly unknown[])[];
  /** ir: seeds the arguments the interpreter runs exports on. */
  readonly seed: number;
  /** js: jit's optLevel (generated cases take every level, 3 in half of them). */
  readonly optLevel?: 0 | 1 | 2 | 3;
}

/**
 * What the driver asks a worker: a case it gives (to replay or minimize
 * one), or a batch of cases to generate there, `generateCase(target, seed)`
 * for each seed in order, so that the driver stays idle while workers run
 * in parallel and a batch of small cases costs one message, not one round
 * trip per case (on a loaded machine, each round trip waits for both
 * processes to be scheduled).
 */
export type WorkerRequest = { readonly id: number } & (
  | { readonly fuzzCase: FuzzCase }
  | { readonly generate: { readonly target: TargetName; readonly seeds: readonly number[] } }
);

/**
 * - ok: behaved (for ir also a clean ParseError: the mutant was refused);
 * - refusal: jit refused the program with a CompileError, a user-facing error;
 * - divergence: compiled code and V8 disagree (js), or the print/parse round trip is not the identity (ir);
 * - internal: an error no user should see (BuildError, LoweringError, an exception out of verify, ...).
 */
export type OutcomeKind = 'ok' | 'refusal' | 'divergence' | 'internal';

export interface Outcome {
  readonly kind: OutcomeKind;
  /** Calls made: jitted calls (js) or interpreted calls (ir). */
  readonly calls: number;
  /** ir: whether the text parsed. */
  readonly parsed?: boolean;
  /** What went wrong; for `internal` it starts with the error's class name. */
  readonly detail?: string;
  /** js: the argument set that showed the divergence. */
  readonly argsIndex?: number;
}

/** The outcome of case `index` of request `id`, sent as soon as that case is done. */
export interface WorkerReply {
  readonly id: number;
  readonly index: number;
  readonly outcome: Outcome;
}

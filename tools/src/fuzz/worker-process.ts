import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FuzzCase, Outcome, TargetName, WorkerReply, WorkerRequest } from './protocol.js';

export type CaseResult =
  | { readonly kind: 'reply'; readonly outcome: Outcome }
  | { readonly kind: 'crash'; readonly detail: string }
  | { readonly kind: 'hang' };

const workerPath = fileURLToPath(new URL('./worker.js', import.meta.url));

/**
 * Cases a worker runs before it is replaced, so that compiled code and
 * caches do not pile up: a JavaScript case leaves native code behind, an IR
 * case nothing that lasts (and a worker's start-up, about 0.6 s of CPU,
 * would cost a fifth of the time of 400 IR cases).
 */
function recycleAfter(target: TargetName): number {
  return target === 'js' ? 400 : 20_000;
}

/**
 * One worker process for one target, started on demand and replaced after
 * a crash, a hang (it is killed when a case outlives the timeout) or
 * `recycleAfter` cases.
 */
export class WorkerProcess {
  #child: ChildProcess | undefined;
  #cases = 0;
  #stderr = '';
  #nextId = 0;

  constructor(readonly target: TargetName) {}

  async #start(): Promise<ChildProcess> {
    if (this.#child && this.#cases < recycleAfter(this.target)) return this.#child;
    await this.stop();
    const child = fork(workerPath, [this.target], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.#stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean }) => {
        if (!message.ready) return;
        child.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`the fuzz worker exited while starting (${signal ?? code}): ${this.#stderr}`));
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
    this.#child = child;
    this.#cases = 0;
    return child;
  }

  /** Runs one case (see runCases). */
  async run(fuzzCase: FuzzCase, timeoutMs: number): Promise<CaseResult> {
    return (await this.#runRequest((id) => ({ id, fuzzCase }), 1, timeoutMs))[0] as CaseResult;
  }

  /**
   * Runs the cases `generateCase(target, seed)` of `seeds` in the worker,
   * in order, and gives their results: all of them, or those up to the case
   * that crashed the worker or outlived `timeoutMs` (its own time, counted
   * from the previous case's reply), which is the last result.
   */
  async runCases(target: TargetName, seeds: readonly number[], timeoutMs: number): Promise<CaseResult[]> {
    return this.#runRequest((id) => ({ id, generate: { target, seeds } }), seeds.length, timeoutMs);
  }

  async #runRequest(request: (id: number) => WorkerRequest, count: number, timeoutMs: number): Promise<CaseResult[]> {
    const child = await this.#start();
    this.#cases += count;
    const id = this.#nextId++;
    const results: CaseResult[] = [];
    return new Promise<CaseResult[]>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(results);
      };
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          results.push({ kind: 'hang' });
          done();
          void this.stop();
        }, timeoutMs);
      };
      const onMessage = (message: WorkerReply) => {
        if (message.id !== id) return;
        results[message.index] = { kind: 'reply', outcome: message.outcome };
        if (results.length === count) done();
        else arm();
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.#child = undefined;
        const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
        const stderr = this.#stderr.trim();
        results.push({ kind: 'crash', detail: stderr ? `${how}; its stderr ended with:\n${stderr}` : how });
        done();
      };
      arm();
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(request(id));
    });
  }

  /** Ends the worker (SIGKILL: a hung worker does not listen) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}

import type { Module } from '@rvsdg/ir';
import type { Condition } from './condition.js';
import type { PassContext } from './context.js';

export type OptionValue = number | boolean | string;
export type PassOptions = Readonly<Record<string, OptionValue>>;

/**
 * A transformation of a module. `run` must not mutate its input and must
 * return the input object itself when it changes nothing, so the pass
 * manager and analysis caches can detect change by identity.
 *
 * Conditions describe the module around the pass: every condition in
 * `requires` must hold on the input, every one in `ensures` holds on the
 * output, and every one in `preserves` that held on the input still holds.
 * A condition that names its `dialects` is also kept by a pass whose
 * `introduces` lists none of them: conditions are open-world, so a third
 * party's condition survives the standard passes. Anything else
 * established before the pass is forgotten after it (unless the pass
 * returned its input unchanged).
 */
export interface Pass<O extends PassOptions = PassOptions> {
  readonly kind: 'pass';
  readonly name: string;
  /** One sentence saying what the pass does. */
  readonly description: string;
  readonly requires: readonly Condition[];
  readonly ensures: readonly Condition[];
  readonly preserves: readonly Condition[];
  /**
   * The dialects of the ops this pass may create that were not in its input
   * (copies of ops already there do not count); undefined when it may create
   * any. Checked, when checking is on, against the ops that appear.
   */
  readonly introduces: readonly string[] | undefined;
  /** Current option values (the defaults unless set with `with`). */
  readonly options: O;
  /** What each option means, for help texts. */
  readonly optionDocs: Readonly<Record<keyof O & string, string>>;
  run(module: Module, context: PassContext<O>): Module;
  /** The same pass with some options changed. */
  with(options: Partial<O>): Pass<O>;
}

export interface PassDefinition<O extends PassOptions> {
  readonly name: string;
  readonly description: string;
  readonly requires?: readonly Condition[];
  readonly ensures?: readonly Condition[];
  readonly preserves?: readonly Condition[];
  /** See `Pass.introduces`. */
  readonly introduces?: readonly string[];
  readonly options?: O;
  readonly optionDocs?: Readonly<Record<keyof O & string, string>>;
  run(module: Module, context: PassContext<O>): Module;
}

const passNamePattern = /^[a-z][a-z0-9-]*$/;

/** Every pass defined so far, so refusal messages can name a pass that establishes a missing condition. */
const catalog = new Map<string, Pass<PassOptions>>();

/** Passes defined so far (in this process) that ensure `condition`. */
export function passesEnsuring(condition: Condition): readonly Pass<PassOptions>[] {
  return [...catalog.values()].filter((p) => p.ensures.includes(condition));
}

export function definePass<O extends PassOptions = Record<string, never>>(definition: PassDefinition<O>): Pass<O> {
  if (!passNamePattern.test(definition.name)) {
    throw new Error(
      `pass name '${definition.name}' must be lowercase words joined by '-' (it appears in pipeline text)`,
    );
  }
  const make = (options: O): Pass<O> =>
    Object.freeze({
      kind: 'pass' as const,
      name: definition.name,
      description: definition.description,
      requires: Object.freeze([...(definition.requires ?? [])]),
      ensures: Object.freeze([...(definition.ensures ?? [])]),
      preserves: Object.freeze([...(definition.preserves ?? [])]),
      introduces: definition.introduces ? Object.freeze([...definition.introduces]) : undefined,
      options: Object.freeze({ ...options }),
      optionDocs: definition.optionDocs ?? ({} as Record<keyof O & string, string>),
      run: definition.run,
      with(changes: Partial<O>): Pass<O> {
        for (const [key, value] of Object.entries(changes)) {
          const current = options[key];
          if (current === undefined) {
            throw new Error(
              `pass '${definition.name}' has no option '${key}' (options: ${Object.keys(options).join(', ') || 'none'})`,
            );
          }
          if (typeof value !== typeof current) {
            throw new Error(
              `option '${key}' of pass '${definition.name}' must be a ${typeof current}, got ${typeof value}`,
            );
          }
        }
        return make({ ...options, ...changes } as O);
      },
    });
  const pass = make((definition.options ?? {}) as O);
  catalog.set(pass.name, pass as unknown as Pass<PassOptions>);
  return pass;
}

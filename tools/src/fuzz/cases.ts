import fc from 'fast-check';
import { printModule } from '@rvsdg/ir';
import { arbModule } from '@rvsdg/ir/testing';
import { randomArguments, randomProgram } from '@rvsdg/runtime/testing';
import { mutateIrText, Random } from './mutate.js';
import type { FuzzCase, TargetName } from './protocol.js';

/** Argument sets each random JavaScript program is called on. */
const argumentSets = 4;

/**
 * jit's optLevel of a JavaScript case: 3 (the default) for half of them, the
 * others 2, 1 or 0, so every level is fuzzed; the lower levels also compile
 * about twice as fast, which buys more programs per minute.
 */
const optLevels = [3, 3, 2, 1, 0, 0] as const;

/** The seed of case `index` of a run seeded with `seed`: cases can be regenerated one by one (`--case`). */
export function caseSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(index + 1, 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) | 0;
}

function sample<T>(arbitrary: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arbitrary, { seed, numRuns: 1 })[0] as T;
}

const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

/** The input of one case, generated from its seed alone. */
export function generateCase(target: TargetName, seed: number): FuzzCase {
  switch (target) {
    case 'js': {
      const [program, args] = sample(
        fc.tuple(randomProgram, fc.array(randomArguments, { minLength: argumentSets, maxLength: argumentSets })),
        seed,
      );
      const optLevel = optLevels[new Random(seed).below(optLevels.length)];
      return { target, text: program.source, args: args as readonly (readonly unknown[])[], seed, optLevel };
    }
    case 'ir': {
      const text = printModule(sample(arbModule(), seed));
      const random = new Random(seed);
      // One case in ten is the printed module itself: its round trip and interpretation are checked too.
      return { target, text: random.below(10) === 0 ? text : mutateIrText(text, random), seed };
    }
    case 'test-crash':
    case 'test-hang': {
      const random = new Random(seed);
      const lines = Array.from({ length: 1 + random.below(30) }, () => random.pick(words));
      if (random.below(3) === 0)
        lines.splice(random.below(lines.length + 1), 0, target === 'test-crash' ? 'CRASH' : 'HANG');
      return { target, text: lines.join('\n'), seed };
    }
  }
}

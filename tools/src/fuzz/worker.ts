/**
 * A fuzz worker: runs the cases the driver (run.ts) sends over IPC, one at a
 * time, and answers each with its outcome. It runs in its own process so
 * that a crash (a signal such as SIGSEGV or SIGABRT) or a hang takes down
 * only the worker; the driver notices, saves the case and starts another.
 */
import type { FuzzCase, Outcome, WorkerReply, WorkerRequest } from './protocol.js';

async function outcomeOf(fuzzCase: FuzzCase): Promise<Outcome> {
  switch (fuzzCase.target) {
    case 'js': {
      const { runJsCase } = await import('./js-target.js');
      return runJsCase(fuzzCase.text, fuzzCase.args ?? [], fuzzCase.optLevel);
    }
    case 'ir': {
      const { runIrCase } = await import('./ir-target.js');
      return runIrCase(fuzzCase.text, fuzzCase.seed);
    }
    // Test-only targets (fuzz.test.ts): prove that crashes and hangs are caught and minimized.
    case 'test-crash':
      if (fuzzCase.text.split('\n').includes('CRASH')) process.abort();
      return { kind: 'ok', calls: 1 };
    case 'test-hang':
      if (fuzzCase.text.split('\n').includes('HANG')) for (;;);
      return { kind: 'ok', calls: 1 };
  }
}

// Without the driver (it died or was killed) there is nobody to answer.
process.on('disconnect', () => process.exit(0));
async function safeOutcomeOf(fuzzCase: () => FuzzCase): Promise<Outcome> {
  try {
    return await outcomeOf(fuzzCase());
  } catch (error) {
    return {
      kind: 'internal',
      calls: 0,
      detail: `${error instanceof Error ? error.name : typeof error} (fuzz worker): ${error instanceof Error ? error.stack : String(error)}`,
    };
  }
}

/** Requests run one after another, in the order they came. */
let queue: Promise<void> = Promise.resolve();

process.on('message', (message: WorkerRequest) => {
  queue = queue.then(async () => {
    const { generateCase } = await import('./cases.js');
    const cases: (() => FuzzCase)[] =
      'fuzzCase' in message
        ? [() => message.fuzzCase]
        : message.generate.seeds.map((seed) => () => generateCase(message.generate.target, seed));
    for (let index = 0; index < cases.length; index++) {
      const reply: WorkerReply = {
        id: message.id,
        index,
        outcome: await safeOutcomeOf(cases[index] as () => FuzzCase),
      };
      process.send?.(reply);
    }
  });
});
// Load the target's code before saying ready, so that its start-up does not count against a case's timeout.
const preload = process.argv[2];
// The case generator too, for every target: the test targets' cases are generated here as well.
await import('./cases.js');
if (preload === 'js') await import('./js-target.js');
if (preload === 'ir') await import('./ir-target.js');
process.send?.({ ready: true });

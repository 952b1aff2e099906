/**
 * A fuzz worker: runs the cases the driver (run.ts) sends over IPC, one at a
 * time, and answers each with its outcome. It runs in its own process so
 * that a crash (a signal such as SIGSEGV or SIGABRT) or a hang takes down
 * only the worker; the driver notices, saves the case and starts another.
 */
import type { FuzzCase, Outcome, WorkerReply } from './protocol.js';

async function outcomeOf(fuzzCase: FuzzCase): Promise<Outcome> {
  switch (fuzzCase.target) {
    case 'js': {
      const { runJsCase } = await import('./js-target.js');
      return runJsCase(fuzzCase.text, fuzzCase.args ?? []);
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
process.on('message', (message: { id: number; fuzzCase: FuzzCase }) => {
  void outcomeOf(message.fuzzCase)
    .catch((error: unknown): Outcome => ({
      kind: 'internal',
      calls: 0,
      detail: `${error instanceof Error ? error.name : typeof error} (fuzz worker): ${error instanceof Error ? error.stack : String(error)}`,
    }))
    .then((outcome) => {
      const reply: WorkerReply = { id: message.id, outcome };
      process.send?.(reply);
    });
});
// Load the target's code before saying ready, so that its start-up does not count against a case's timeout.
const preload = process.argv[2];
if (preload === 'js') await import('./js-target.js');
if (preload === 'ir') await import('./ir-target.js');
process.send?.({ ready: true });

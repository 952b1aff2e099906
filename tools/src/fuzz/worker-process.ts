import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FuzzCase, Outcome, TargetName, WorkerReply } from './protocol.js';

export type CaseResult =
  | { readonly kind: 'reply'; readonly outcome: Outcome }
  | { readonly kind: 'crash'; readonly detail: string }
  | { readonly kind: 'hang' };

const workerPath = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Cases a worker runs before it is replaced, so that compiled code and caches do not pile up. */
const recycleAfter = 400;

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
  /** How long the last case ran, the worker's start-up not included. */
  lastCaseMilliseconds = 0;

  constructor(readonly target: TargetName) {}

  async #start(): Promise<ChildProcess> {
    if (this.#child && this.#cases < recycleAfter) return this.#child;
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

  /** Runs one case; a worker that dies or outlives `timeoutMs` is reported as a crash or a hang. */
  async run(fuzzCase: FuzzCase, timeoutMs: number): Promise<CaseResult> {
    const child = await this.#start();
    this.#cases++;
    const id = this.#nextId++;
    const started = Date.now();
    return new Promise<CaseResult>((resolve) => {
      const done = (result: CaseResult): void => {
        this.lastCaseMilliseconds = Date.now() - started;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(result);
      };
      const onMessage = (message: WorkerReply) => {
        if (message.id === id) done({ kind: 'reply', outcome: message.outcome });
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.#child = undefined;
        const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
        const stderr = this.#stderr.trim();
        done({ kind: 'crash', detail: stderr ? `${how}; its stderr ended with:\n${stderr}` : how });
      };
      const timer = setTimeout(() => {
        done({ kind: 'hang' });
        void this.stop();
      }, timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ id, fuzzCase });
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

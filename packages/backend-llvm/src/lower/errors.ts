/**
 * The module uses something the LLVM backend cannot compile (an import, a
 * closure over run-time values, an export with an unsupported signature,
 * an op without a lowering). The message names the construct.
 */
export class LoweringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoweringError';
  }
}

/**
 * The backend produced LLVM IR that LLVM rejects: a bug in a lowering, not
 * in the user's program. The offending IR is attached so it can be reported.
 */
export class LoweringBug extends Error {
  constructor(
    message: string,
    readonly irText: string,
  ) {
    super(`${message}\n--- LLVM IR ---\n${irText}`);
    this.name = 'LoweringBug';
  }
}

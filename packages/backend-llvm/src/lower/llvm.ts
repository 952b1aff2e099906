import { createRequire } from 'node:module';
import type LLVM from 'llvm-bindings';

let loaded: typeof LLVM | undefined;

/**
 * llvm-bindings, loaded at its first use instead of at import: loading it
 * maps a whole LLVM into the process (tens of milliseconds), which a
 * process that imports the runtime but compiles nothing should not pay.
 * In type positions, `llvm.Value` and the like name llvm-bindings' global
 * namespace declarations.
 */
export const llvm: typeof LLVM = new Proxy({} as typeof LLVM, {
  get(_target, property) {
    loaded ??= createRequire(import.meta.url)('llvm-bindings') as typeof LLVM;
    return loaded[property as keyof typeof LLVM];
  },
});

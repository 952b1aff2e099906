import { arithDialect } from './arith.js';
import { arrayDialect } from './array.js';
import { builtinDialect } from './builtin.js';
import { mathDialect } from './math.js';
import { OpRegistry } from './registry.js';

/** The registry holding the built-in dialects; verify, interpret and the builder use it unless given another. */
export const defaultRegistry = new OpRegistry()
  .registerDialect(builtinDialect)
  .registerDialect(arithDialect)
  .registerDialect(mathDialect)
  .registerDialect(arrayDialect);

import type { Type } from '../types/type.js';
import { typeToString } from '../types/type.js';
import type { Value } from '../interpreter/value.js';
import type { OpDef, OpInstance } from './op.js';

/** Operand types must all be the same type, satisfying `accepts`; returns that type or an error. */
export function sameTypeOperands(
  operands: readonly Type[],
  count: number,
  accepts: (type: Type) => boolean,
  what: string,
): Type | string {
  if (operands.length !== count) return `expects ${count} operand(s), got ${operands.length}`;
  const first = operands[0];
  if (first === undefined) return 'expects operands';
  for (const t of operands) {
    if (t !== first) return `operands must have the same type, got ${operands.map(typeToString).join(', ')}`;
  }
  if (!accepts(first)) return `expects ${what} operands, got ${typeToString(first)}`;
  return first;
}

/** Folding by running the op's own meaning when every operand is known and the op is pure. */
export function foldByEvaluation(def: Pick<OpDef, 'evaluate' | 'effects'>) {
  return (operands: readonly (Value | undefined)[], instance: OpInstance): readonly Value[] | undefined => {
    if (def.effects.length > 0 || operands.some((v) => v === undefined)) return undefined;
    try {
      return def.evaluate(operands, instance, {
        call() {
          throw new Error('cannot call while folding');
        },
      });
    } catch {
      return undefined;
    }
  };
}

/** Defines a pure op whose folding is its evaluation. */
export function pureOp(def: Omit<OpDef, 'effects' | 'fold'>): OpDef {
  const full: OpDef = { ...def, effects: [] };
  return { ...full, fold: foldByEvaluation(full) };
}

import type { PropertyGuard } from '@rvsdg/frontend';

/*
 * Properties of scope objects compiled in as values that could be assigned
 * later (`glMatrix.EPSILON`): the dispatcher checks them at every call of a
 * specialization that has any, and compiles it again when one changed.
 */

export /** Whether every property compiled in as a value still holds it (a data property with the same value). */
function guardsHold(guards: readonly PropertyGuard[]): boolean {
  for (const guard of guards) {
    const descriptor = Object.getOwnPropertyDescriptor(guard.object, guard.key);
    if (!descriptor || !('value' in descriptor) || !Object.is(descriptor.value, guard.value)) return false;
  }
  return true;
}

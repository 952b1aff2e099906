/**
 * Whether built IR is deep-frozen. On by default so that an accidental
 * mutation throws in development and tests; NODE_ENV=production turns it off
 * because freezing costs time in hot compilation paths.
 */
let freezing = process.env['NODE_ENV'] !== 'production';

export function setFreezing(on: boolean): void {
  freezing = on;
}
export function isFreezing(): boolean {
  return freezing;
}
export function freeze<T>(value: T): T {
  return freezing ? Object.freeze(value) : value;
}

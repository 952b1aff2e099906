export function hypot2(a, b) {
  return a * a + b * b;
}

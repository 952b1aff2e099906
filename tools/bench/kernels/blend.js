/** Linear blend of two RGBA images, out = a + (b - a) * t, stored into a Uint8ClampedArray (rounds half to even). */
export function blend(a, b, out, t) {
  for (let i = 0; i < out.length; i++) {
    out[i] = a[i] + (b[i] - a[i]) * t;
  }
}

export default {
  name: 'blend',
  fn: blend,
  size: '1920 x 1080 RGBA, t = 0.25',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [1920, 1080], quick: [640, 360], test: [40, 30] },
  // t = 0.25 makes every fourth blended value end in .5: the stores round those half to even.
  inputs: (width, height) => {
    const n = width * height * 4;
    const a = new Uint8ClampedArray(n);
    const b = new Uint8ClampedArray(n);
    for (let i = 0; i < n; i++) {
      a[i] = (i * 7 + 3) % 256;
      b[i] = (i * 13 + 5) % 251;
    }
    return [a, b, new Uint8ClampedArray(n), 0.25];
  },
  output: (_result, args) => args[2],
};

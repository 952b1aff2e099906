/** Escape-time iteration count of every pixel, written to an Int32Array of width*height. */
export function mandelbrot(out, width, height, maxIter) {
  for (let y = 0; y < height; y++) {
    const ci = (y * 2.0) / height - 1.0;
    for (let x = 0; x < width; x++) {
      const cr = (x * 3.0) / width - 2.0;
      let zr = 0.0;
      let zi = 0.0;
      let k = 0;
      while (k < maxIter && zr * zr + zi * zi <= 4.0) {
        const t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        k++;
      }
      out[y * width + x] = k;
    }
  }
}

export default {
  name: 'mandelbrot',
  fn: mandelbrot,
  size: '800 x 600, 200 iterations',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [800, 600, 200], quick: [200, 150, 200], test: [40, 30, 50] },
  inputs: (width, height, maxIter) => [new Int32Array(width * height), width, height, maxIter],
  output: (_result, args) => args[0],
};

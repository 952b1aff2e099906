export { alloc, reset } from './harness';

export function mandelbrot(out: usize, _outLength: i32, width: i32, height: i32, maxIter: i32): void {
  for (let y = 0; y < height; y++) {
    const ci = (<f64>y * 2.0) / <f64>height - 1.0;
    for (let x = 0; x < width; x++) {
      const cr = (<f64>x * 3.0) / <f64>width - 2.0;
      let zr = 0.0;
      let zi = 0.0;
      let k = 0;
      while (k < maxIter && zr * zr + zi * zi <= 4.0) {
        const t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        k++;
      }
      store<i32>(out + ((<usize>(y * width + x)) << 2), k);
    }
  }
}

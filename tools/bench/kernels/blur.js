/** 3x3 box blur of a one-channel image; the border of dst is left as it is. */
export function blur(src, dst, width, height) {
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const c = y * width + x;
      const sum =
        src[c - width - 1] +
        src[c - width] +
        src[c - width + 1] +
        src[c - 1] +
        src[c] +
        src[c + 1] +
        src[c + width - 1] +
        src[c + width] +
        src[c + width + 1];
      dst[c] = sum / 9;
    }
  }
}

export default {
  name: 'blur',
  fn: blur,
  size: '1920 x 1080',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [1920, 1080], quick: [480, 270], test: [40, 30] },
  inputs: (width, height) => {
    const src = new Uint8ClampedArray(width * height);
    for (let i = 0; i < width * height; i++) src[i] = (i * 7 + 3) % 251;
    return [src, new Uint8ClampedArray(width * height), width, height];
  },
  output: (_result, args) => args[1],
};

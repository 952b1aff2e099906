/**
 * The real-world corpus (issue 13): numeric functions of popular npm
 * packages, imported as a user imports them and handed to plain `jit(fn)`
 * (no `scope`), with realistic and edge arguments. `compareWithV8` runs each
 * one through V8 and through `jit` on fresh copies of the same arguments and
 * says whether it compiled and matched, was refused (with `jit`'s message),
 * or gave a different result (a silent difference, which the test forbids).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/* eslint-disable @typescript-eslint/no-explicit-any */

/** One function of the corpus. */
export interface CorpusEntry {
  /** The npm package it comes from. */
  readonly pkg: string;
  /** How a user calls it (`vec3.add`, `dnrm2.ndarray`). */
  readonly name: string;
  /** The function handed to `jit`. */
  readonly fn: (...args: any[]) => unknown;
  /** Argument lists, each built fresh on every call (the function may write into them). */
  readonly inputs: readonly (() => unknown[])[];
  /** Arguments for the bench: a larger input where the function takes arrays, and how many calls one timing makes. */
  readonly bench?: { readonly args: () => unknown[]; readonly calls: number };
}

/** A dynamic import with a specifier TypeScript does not resolve: these packages' own types do not matter here. */
async function load(specifier: string): Promise<any> {
  return import(specifier);
}

/** A deterministic stream of numbers in [0, 1) (a 32-bit LCG), for inputs and seeds. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function randomArray(n: number, seed: number, scale = 1, offset = 0): number[] {
  const next = lcg(seed);
  return Array.from({ length: n }, () => offset + scale * next());
}

const f64 = (values: readonly number[]) => Float64Array.from(values);
const f32 = (values: readonly number[]) => Float32Array.from(values);
const sortedArray = (n: number, seed: number) => randomArray(n, seed, 100, -50).sort((a, b) => a - b);

/** Scalar inputs: ordinary values and the edges (zeros, infinities, NaN, huge and tiny). */
const scalarEdges = [0, -0, 1, -1, 0.5, 2.5, 7, 170.5, 1e-300, -1e300, Infinity, -Infinity, NaN];
const one = (values: readonly number[]) => values.map((v) => () => [v]);

export async function loadCorpus(): Promise<CorpusEntry[]> {
  const ss = require('simple-statistics');
  const gl = require('gl-matrix');
  const dnrm2 = require('@stdlib/blas-base-dnrm2');
  const ddot = require('@stdlib/blas-base-ddot');
  const dasum = require('@stdlib/blas-base-dasum');
  const erf = require('@stdlib/math-base-special-erf');
  const gamma = require('@stdlib/math-base-special-gamma');
  const d3 = await load('d3-array');
  const KDBush = (await load('kdbush')).default;
  const quickselect = (await load('quickselect')).default;
  const FFT = require('fft.js');
  const { Matrix } = require('ml-matrix');
  const ops = require('ndarray-ops');
  const ndarray = require('ndarray');
  const { xoroshiro128plus } = await load('pure-rand/generator/xoroshiro128plus');
  const { uniformInt } = await load('pure-rand/distribution/uniformInt');
  const seedrandom = require('seedrandom');
  const crc32 = require('crc-32');
  const murmurhash = require('murmurhash');
  const { createNoise2D, createNoise3D } = await load('simplex-noise');

  const data = (n: number, seed: number) => randomArray(n, seed, 10, -3);
  const samples = [() => [data(8, 1)], () => [data(101, 2)], () => [[1]], () => [[2, 2, 2]], () => [[1e308, 1e308]]];
  const pairs = [
    () => [data(20, 3), data(20, 4)],
    () => [
      [1, 2, 3],
      [2, 4, 7],
    ],
    () => [
      [1, 1],
      [2, 3],
    ],
  ];
  const big = (n: number) => () => [data(n, 9)];

  const vec3 = (x: number, y: number, z: number) => gl.vec3.fromValues(x, y, z);
  const mat4 = (seed: number) => f32(randomArray(16, seed, 4, -2));
  const noiseRandom = () => lcg(42);

  const entries: CorpusEntry[] = [
    // simple-statistics: users pass plain Arrays of numbers.
    {
      pkg: 'simple-statistics',
      name: 'mean',
      fn: ss.mean,
      inputs: [...samples, () => [[]]],
      bench: { args: big(1e5), calls: 20 },
    },
    {
      pkg: 'simple-statistics',
      name: 'sum',
      fn: ss.sum,
      inputs: [...samples, () => [[]], () => [[1e100, 1, -1e100]]],
      bench: { args: big(1e5), calls: 20 },
    },
    {
      pkg: 'simple-statistics',
      name: 'variance',
      fn: ss.variance,
      inputs: samples,
      bench: { args: big(1e5), calls: 20 },
    },
    { pkg: 'simple-statistics', name: 'standardDeviation', fn: ss.standardDeviation, inputs: samples },
    { pkg: 'simple-statistics', name: 'sampleCorrelation', fn: ss.sampleCorrelation, inputs: pairs },
    { pkg: 'simple-statistics', name: 'rootMeanSquare', fn: ss.rootMeanSquare, inputs: samples },
    {
      pkg: 'simple-statistics',
      name: 'harmonicMean',
      fn: ss.harmonicMean,
      inputs: [() => [randomArray(30, 5, 10, 0.1)], () => [[1, -1]]],
    },
    {
      pkg: 'simple-statistics',
      name: 'quantileSorted',
      fn: ss.quantileSorted,
      inputs: [
        () => [sortedArray(11, 6), 0.25],
        () => [sortedArray(10, 7), 0.5],
        () => [sortedArray(10, 7), 1],
        () => [[3], 0],
      ],
    },
    {
      pkg: 'simple-statistics',
      name: 'zScore',
      fn: ss.zScore,
      inputs: [() => [2, 1, 0.5], () => [0, 0, 0], () => [-1, 3, -0], () => [NaN, 1, 1]],
    },
    {
      pkg: 'simple-statistics',
      name: 'factorial',
      fn: ss.factorial,
      inputs: [...one([0, 1, 5, 20, 170, 171]), () => [-1], () => [2.5]],
    },
    { pkg: 'simple-statistics', name: 'gamma', fn: ss.gamma, inputs: one([...scalarEdges, 3, -2, -2.5, 171, 200]) },
    { pkg: 'simple-statistics', name: 'gammaln', fn: ss.gammaln, inputs: one([...scalarEdges, 3, 100]) },
    {
      pkg: 'simple-statistics',
      name: 'errorFunction',
      fn: ss.errorFunction,
      inputs: one(scalarEdges),
      bench: { args: () => [0.3], calls: 1e5 },
    },
    {
      pkg: 'simple-statistics',
      name: 'inverseErrorFunction',
      fn: ss.inverseErrorFunction,
      inputs: one([0, -0, 0.5, -0.9, 0.999, 1, 2, NaN]),
    },
    { pkg: 'simple-statistics', name: 'probit', fn: ss.probit, inputs: one([0, 0.025, 0.5, 0.975, 1, 1.5]) },
    {
      pkg: 'simple-statistics',
      name: 'cumulativeStdNormalProbability',
      fn: ss.cumulativeStdNormalProbability,
      inputs: one([0, -0, 1.96, -1.2345, 5, -5, 0.004, NaN]),
    },
    {
      pkg: 'simple-statistics',
      name: 'combineMeans',
      fn: ss.combineMeans,
      inputs: [() => [1, 2, 3, 4], () => [0, 0, 0, 0], () => [1.5, 10, -2, 5]],
    },
    { pkg: 'simple-statistics', name: 'sign', fn: ss.sign, inputs: one([3, -2, 0, -0, NaN, Infinity]) },
    {
      pkg: 'simple-statistics',
      name: 'sumNthPowerDeviations',
      fn: ss.sumNthPowerDeviations,
      inputs: [() => [data(12, 8), 2], () => [data(12, 8), 3], () => [[1, 2], 1]],
    },
    {
      pkg: 'simple-statistics',
      name: 'sampleSkewness',
      fn: ss.sampleSkewness,
      inputs: [() => [data(40, 10)], () => [[1, 2, 9]]],
    },

    // gl-matrix: Float32Array vectors and matrices, out parameters.
    {
      pkg: 'gl-matrix',
      name: 'vec3.add',
      fn: gl.vec3.add,
      inputs: [() => [gl.vec3.create(), vec3(1, 2, 3), vec3(0.5, -2, 1e30)]],
      bench: { args: () => [gl.vec3.create(), vec3(1, 2, 3), vec3(4, 5, 6)], calls: 1e5 },
    },
    {
      pkg: 'gl-matrix',
      name: 'vec3.dot',
      fn: gl.vec3.dot,
      inputs: [() => [vec3(1, 2, 3), vec3(4, -5, 6)], () => [vec3(0, 0, 0), vec3(NaN, 1, 1)]],
    },
    {
      pkg: 'gl-matrix',
      name: 'vec3.cross',
      fn: gl.vec3.cross,
      inputs: [
        () => [gl.vec3.create(), vec3(1, 0, 0), vec3(0, 1, 0)],
        () => [gl.vec3.create(), vec3(1.5, 2, -3), vec3(4, 5, 6)],
      ],
    },
    {
      pkg: 'gl-matrix',
      name: 'vec3.length',
      fn: gl.vec3.length,
      inputs: [() => [vec3(3, 4, 12)], () => [vec3(0, 0, 0)], () => [vec3(1e30, 1e30, 0)]],
    },
    {
      pkg: 'gl-matrix',
      name: 'vec3.normalize',
      fn: gl.vec3.normalize,
      inputs: [() => [gl.vec3.create(), vec3(3, 4, 12)], () => [gl.vec3.create(), vec3(0, 0, 0)]],
    },
    {
      pkg: 'gl-matrix',
      name: 'vec3.lerp',
      fn: gl.vec3.lerp,
      inputs: [() => [gl.vec3.create(), vec3(1, 2, 3), vec3(3, 2, 1), 0.25]],
    },
    {
      pkg: 'gl-matrix',
      name: 'vec3.transformMat4',
      fn: gl.vec3.transformMat4,
      inputs: [
        () => [gl.vec3.create(), vec3(1, 2, 3), mat4(11)],
        () => [gl.vec3.create(), vec3(1, 2, 3), gl.mat4.create()],
      ],
      bench: { args: () => [gl.vec3.create(), vec3(1, 2, 3), mat4(11)], calls: 1e5 },
    },
    {
      pkg: 'gl-matrix',
      name: 'mat4.multiply',
      fn: gl.mat4.multiply,
      inputs: [() => [gl.mat4.create(), mat4(12), mat4(13)]],
      bench: { args: () => [gl.mat4.create(), mat4(12), mat4(13)], calls: 1e5 },
    },
    {
      pkg: 'gl-matrix',
      name: 'mat4.invert',
      fn: gl.mat4.invert,
      inputs: [() => [gl.mat4.create(), mat4(14)], () => [gl.mat4.create(), new Float32Array(16)]],
    },
    {
      pkg: 'gl-matrix',
      name: 'mat4.determinant',
      fn: gl.mat4.determinant,
      inputs: [() => [mat4(15)], () => [gl.mat4.create()]],
    },
    {
      pkg: 'gl-matrix',
      name: 'mat4.perspective',
      fn: gl.mat4.perspective,
      inputs: [() => [gl.mat4.create(), Math.PI / 4, 16 / 9, 0.1, 100], () => [gl.mat4.create(), 1, 1, 0.1, Infinity]],
    },
    {
      pkg: 'gl-matrix',
      name: 'quat.slerp',
      fn: gl.quat.slerp,
      inputs: [() => [gl.quat.create(), f32([0, 0, 0, 1]), f32([0, 0.7071, 0, 0.7071]), 0.3]],
    },

    // @stdlib: BLAS on Float64Arrays with strides, special functions.
    {
      pkg: '@stdlib/blas-base-dnrm2',
      name: 'dnrm2',
      fn: dnrm2,
      inputs: [
        () => [4, f64([3, 4, 12, 84]), 1],
        () => [3, f64([1e200, 0, 1e200, 0, 1e200, 0]), 2],
        () => [0, f64([1]), 1],
      ],
      bench: { args: () => [1e5, f64(data(1e5, 9)), 1], calls: 20 },
    },
    {
      pkg: '@stdlib/blas-base-dnrm2',
      name: 'dnrm2.ndarray',
      fn: dnrm2.ndarray,
      inputs: [() => [2, f64([0, 3, 0, 4]), 2, 1]],
    },
    {
      pkg: '@stdlib/blas-base-ddot',
      name: 'ddot',
      fn: ddot,
      inputs: [() => [5, f64(data(5, 16)), 1, f64(data(5, 17)), 1], () => [2, f64([1, 2, 3, 4]), -2, f64([1, 2]), 1]],
      bench: { args: () => [1e5, f64(data(1e5, 9)), 1, f64(data(1e5, 8)), 1], calls: 20 },
    },
    {
      pkg: '@stdlib/blas-base-ddot',
      name: 'ddot.ndarray',
      fn: ddot.ndarray,
      inputs: [() => [3, f64(data(6, 18)), 2, 0, f64(data(3, 19)), 1, 0]],
    },
    {
      pkg: '@stdlib/blas-base-dasum',
      name: 'dasum',
      fn: dasum,
      inputs: [() => [6, f64(data(6, 20)), 1], () => [3, f64([-1, 2, -3, 4, -5, 6]), 2]],
      bench: { args: () => [1e5, f64(data(1e5, 9)), 1], calls: 20 },
    },
    {
      pkg: '@stdlib/math-base-special-erf',
      name: 'erf',
      fn: erf,
      inputs: one([...scalarEdges, 0.3, -0.84, 1.5, 3, 6, 1e-10]),
      bench: { args: () => [0.3], calls: 1e5 },
    },
    {
      pkg: '@stdlib/math-base-special-gamma',
      name: 'gamma',
      fn: gamma,
      inputs: one([...scalarEdges, 3, -2, -2.5, 171, 172, 1e-20]),
      bench: { args: () => [4.5], calls: 1e5 },
    },

    // d3-array: iterables of numbers, with optional accessors.
    {
      pkg: 'd3-array',
      name: 'tickIncrement',
      fn: d3.tickIncrement,
      inputs: [
        () => [0, 1, 10],
        () => [0, 100, 7],
        () => [-3.3, 17.2, 5],
        () => [1, 1, 10],
        () => [0.1, 0.2, 1.5],
        () => [0, 1, 0.5],
        () => [0, 1, 0],
        () => [5, 1, 3],
        () => [0, NaN, 3],
      ],
    },
    {
      pkg: 'd3-array',
      name: 'tickStep',
      fn: d3.tickStep,
      inputs: [() => [0, 1, 10], () => [10, 0, 7], () => [0, 1e-6, 3]],
    },
    { pkg: 'd3-array', name: 'sum', fn: d3.sum, inputs: [() => [f64(data(10, 21))], () => [f64([])]] },
    {
      pkg: 'd3-array',
      name: 'mean',
      fn: d3.mean,
      inputs: [() => [f64(data(10, 22))], () => [f64([NaN, 1])], () => [f64([])], () => [f64([NaN])]],
    },
    {
      pkg: 'd3-array',
      name: 'variance',
      fn: d3.variance,
      inputs: [() => [f64(data(10, 23))], () => [f64([1])], () => [f64([])], () => [f64([2, NaN, 4])]],
    },
    {
      pkg: 'd3-array',
      name: 'quantileSorted',
      fn: d3.quantileSorted,
      inputs: [
        () => [f64(sortedArray(10, 24)), 0.3],
        () => [f64(sortedArray(10, 24)), 1],
        () => [f64([]), 0.5],
        () => [f64([1, 2]), NaN],
        () => [f64([1, 2, 3]), -1],
      ],
    },
    { pkg: 'd3-array', name: 'max', fn: d3.max, inputs: [() => [f64(data(10, 25))]] },

    // Spatial index, selection, FFT, matrices: classes and methods.
    {
      pkg: 'kdbush',
      name: 'KDBush#within',
      fn: (index: any, x: number, y: number, r: number) => index.within(x, y, r).length,
      inputs: [() => [kdIndex(KDBush), 50, 50, 20]],
    },
    {
      pkg: 'quickselect',
      name: 'quickselect',
      fn: quickselect,
      inputs: [
        () => [f64(data(50, 26)), 25],
        () => [f64(data(9, 27)), 0],
        () => [f64(data(3000, 40)), 1500],
        () => [f64(data(1500, 41)), 10, 0, 1499, (a: number, b: number) => b - a],
      ],
      bench: { args: () => [f64(data(1e5, 9)), 5e4], calls: 5 },
    },
    {
      pkg: 'fft.js',
      name: 'FFT#transform',
      fn: (fft: any, out: Float64Array, input: Float64Array) => fft.transform(out, input),
      inputs: [() => [new FFT(16), new Float64Array(32), f64(data(32, 28))]],
    },
    {
      pkg: 'fft.js',
      name: 'FFT#realTransform',
      fn: (fft: any, out: Float64Array, input: Float64Array) => fft.realTransform(out, input),
      inputs: [() => [new FFT(16), new Float64Array(32), f64(data(16, 29))]],
    },
    {
      pkg: 'ml-matrix',
      name: 'Matrix#mmul',
      fn: (a: any, b: any) => a.mmul(b).get(0, 0),
      inputs: [() => [Matrix.rand(3, 3, { random: lcg(1) }), Matrix.rand(3, 3, { random: lcg(2) })]],
    },
    {
      pkg: 'ml-matrix',
      name: 'Matrix#norm',
      fn: (a: any) => a.norm(),
      inputs: [() => [Matrix.rand(4, 4, { random: lcg(3) })]],
    },
    {
      pkg: 'ndarray-ops',
      name: 'addeq',
      fn: ops.addeq,
      inputs: [() => [ndarray(f64(data(6, 30)), [2, 3]), ndarray(f64(data(6, 31)), [2, 3])]],
    },

    // Random numbers and hashes.
    {
      pkg: 'pure-rand',
      name: 'uniformInt',
      fn: (seed: number) => uniformInt(xoroshiro128plus(seed), 1, 6),
      inputs: one([1, 42]),
    },
    { pkg: 'seedrandom', name: 'alea', fn: (seed: number) => seedrandom.alea(String(seed))(), inputs: one([1, 42]) },
    {
      pkg: 'crc-32',
      name: 'buf',
      fn: crc32.buf,
      inputs: [
        () => [Uint8Array.from(randomArray(64, 32, 256).map(Math.floor))],
        () => [new Uint8Array([1, 2, 3]), 7],
        () => [Uint8Array.from(randomArray(1000, 33, 256).map(Math.floor)), -1],
      ],
      bench: { args: () => [Uint8Array.from(randomArray(1e5, 33, 256).map(Math.floor))], calls: 20 },
    },
    { pkg: 'crc-32', name: 'str', fn: crc32.str, inputs: [() => ['hello world']] },
    { pkg: 'murmurhash', name: 'v3', fn: murmurhash.v3, inputs: [() => ['hello', 1]] },
    { pkg: 'murmurhash', name: 'v2', fn: murmurhash.v2, inputs: [() => ['hello', 1]] },

    // Noise: closures over permutation tables built at creation.
    {
      pkg: 'simplex-noise',
      name: 'createNoise2D()',
      fn: createNoise2D(noiseRandom()),
      inputs: [() => [0.5, 0.25], () => [-10.3, 7.7], () => [0, 0], () => [1e6, -1e6]],
      bench: { args: () => [0.5, 0.25], calls: 1e5 },
    },
    {
      pkg: 'simplex-noise',
      name: 'createNoise3D()',
      fn: createNoise3D(noiseRandom()),
      inputs: [() => [0.5, 0.25, 3], () => [-10.3, 7.7, 0]],
    },
  ];
  return entries;
}

function kdIndex(KDBush: any): unknown {
  const next = lcg(7);
  const index = new KDBush(100);
  for (let i = 0; i < 100; i++) index.add(next() * 100, next() * 100);
  index.finish();
  return index;
}

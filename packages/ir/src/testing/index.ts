export * from './examples.js';
export * from './generators.js';
export * from './observe.js';

export * from './generators.js';
export * from './observe.js';

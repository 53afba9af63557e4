// core: the vocabulary every layer shares. Imports nothing internal.
export * from './result.js';
export * from './diagnostics.js';
export * from './names.js';
export * from './signals.js';
export * from './clock.js';
export * from './exit-codes.js';
export * from './defaults.js';

// Public API of rc: re-exports only.
export * from './core/index.js';
export * from './db/types.js';
export * from './engine/driver.js';

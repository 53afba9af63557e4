// Public API of rc: re-exports only.
export * from './core/index.js';
export * from './db/index.js';
export * from './source/index.js';
export * from './compile/index.js';
export * from './engine/driver.js';
export * from './supervise/index.js';
export * from './plan/index.js';
export * from './engine/index.js';
export * from './render/index.js';
export * from './control/index.js';
export * from './daemon/index.js';
export * from './live/index.js';
export * from './scandir/index.js';
export * from './boot/index.js';
export * from './sys/index.js';

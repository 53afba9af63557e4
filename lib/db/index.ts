// db: the compiled database contract, its in-memory form (Db), and atomic read/write.
export * from './types.js';
export * from './db.js';
export * from './read.js';
export * from './write.js';
export { validateDbIndex } from './validate.js';
export * from './queries.js';
export * from './graph-view.js';
export * from './graph-format.js';
export * from './content-hash.js';
export * from './diff.js';

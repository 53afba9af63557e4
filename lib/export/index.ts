// rc export (pure): a compiled db as a docker compose file or a Kubernetes Deployment.
export * from './types.js';
export * from './select.js';
export * from './graph.js';
export * from './names.js';
export * from './compose.js';
export * from './kubernetes.js';
export * from './export.js';
export { dbFile } from './warnings.js';

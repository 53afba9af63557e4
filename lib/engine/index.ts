// engine: executes a Plan through a ServiceDriver and reports EngineEvents.
export * from './driver.js';
export * from './events.js';
export { executePlan, type ExecuteOptions } from './execute.js';
export { summarizePlan, summaryExitCode } from './summary.js';
export { stepTimeout } from './transition.js';

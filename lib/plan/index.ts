// plan: the pure planner (request + live state → ordered steps with reasons).
export * from './types.js';
export { plan, planWaves } from './plan.js';
export { reach, type Direction } from './select.js';
export { stepDependents, stepDepths, type StepDependents } from './step-graph.js';
export { planUpdate, type UpdateInput, type UpdatePlan, type UpdateTarget } from './update.js';

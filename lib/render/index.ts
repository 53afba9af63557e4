// render: progress renderers of EngineEvents (listr2, plain lines, NDJSON), plan and summary text.
export type { EventRenderer, RendererOptions } from './renderer.js';
export { PlainRenderer, plainLine } from './plain.js';
export { JsonRenderer } from './json.js';
export { ListrRenderer } from './listr.js';
export { renderPlan, planToJson, type PlanJson } from './plan-text.js';
export { renderSummary } from './summary.js';
export * from './phrases.js';

// render: progress renderers of EngineEvents (listr2, plain lines, NDJSON), plan and summary text.
export type { EventRenderer, RendererOptions } from './renderer.js';
export { PlainRenderer, plainLine, engineLine } from './plain.js';
export { JsonRenderer } from './json.js';
/** listr2 loads only when a terminal shows a change (it is heavy): `new (await loadListrRenderer())(out)`. */
export const loadListrRenderer = async () => (await import('./listr.js')).ListrRenderer;
export { progressStyle, LISTR_MIN_COLUMNS, type ProgressStyle, type TerminalInfo } from './terminal.js';
export { renderPlan, planToJson, type PlanJson } from './plan-text.js';
export { renderSummary, summaryLines } from './summary.js';
export { LogRenderer, type LogRendererOptions } from './log-renderer.js';
export { noticeLine, supervisorLine, describeOrigin } from './notices.js';
export * from './phrases.js';
export { renderUpdate, updateToJson, updateDiffLines, type UpdateJson } from './update-text.js';

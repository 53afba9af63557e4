// renderUpdate: what `rc update` found and does, as text (what differs, then the stop waves under the old db and the start waves under the new one, with reasons) or JSON.
import type { UpdateResultData } from '../daemon/types.js';
import type { PlanJson } from './plan-text.js';
import { planToJson, renderPlan } from './plan-text.js';

export interface UpdateJson extends Omit<UpdateResultData, 'stop' | 'start' | 'summaries'> {
  type: 'update';
  stop: PlanJson;
  start: PlanJson;
}

export function updateToJson(d: UpdateResultData): UpdateJson {
  const { stop, start, summaries: _summaries, ...rest } = d;
  return { type: 'update', ...rest, stop: planToJson(stop), start: planToJson(start) };
}

/** The differences, one line per kind (`removed`, `changed` with its fields, `renamed`, `added`, how many are unchanged). */
export function updateDiffLines(d: UpdateResultData): string[] {
  const lines: string[] = [];
  const row = (label: string, text: string): void => void lines.push(`  ${label.padEnd(10)} ${text}`);
  for (const name of d.removed) row('removed', name);
  for (const c of d.changed) row('changed', `${c.from === c.name ? c.name : `${c.from} -> ${c.name}`} (${c.fields.join(', ')})`);
  for (const r of d.renamed) row('renamed', `${r.from} -> ${r.name} (unchanged: kept running)`);
  for (const name of d.added) row('added', name);
  row('unchanged', `${d.unchanged} service${d.unchanged === 1 ? '' : 's'}`);
  return lines;
}

/** The plan of an update for --dry-run. No trailing newline. */
export function renderUpdate(d: UpdateResultData, format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify(updateToJson(d), null, 2);
  const lines = [`update to ${d.db}:`, ...updateDiffLines(d)];
  lines.push('under the database in use:', d.stop.steps.length > 0 ? renderPlan(d.stop, 'text') : 'nothing to stop');
  lines.push('under the new database:', d.start.steps.length > 0 ? renderPlan(d.start, 'text') : 'nothing to start');
  for (const n of d.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

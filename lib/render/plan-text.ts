// renderPlan: a plan for --dry-run, as waves (stop waves, then start waves) with why each service is in it.
import { planWaves } from '../plan/plan.js';
import type { Phase, Plan, StepAction, StepReason, KeepReason } from '../plan/types.js';
import { describeKeepReason, describeStepReason } from './phrases.js';

export interface PlanJson {
  kind: Plan['kind'];
  label: string;
  waves: {
    phase: Phase;
    /** 1-based within its phase. */
    wave: number;
    steps: { name: string; index: number; type: string; action: StepAction; reason: string; why: StepReason; after: string[] }[];
  }[];
  kept: { name: string; index: number; reason: string; why: KeepReason }[];
}

export function planToJson(plan: Plan): PlanJson {
  return {
    kind: plan.kind,
    label: plan.label,
    waves: planWaves(plan).map((w) => ({
      phase: w.phase,
      wave: w.phase === 'stop' ? w.wave + 1 : w.wave - plan.stopWaves + 1,
      steps: w.steps.map((s) => ({
        name: s.name,
        index: s.index,
        type: s.type,
        action: s.action,
        reason: describeStepReason(s.reason),
        why: s.reason,
        after: s.after.map((a) => plan.steps[a]!.name),
      })),
    })),
    kept: plan.kept.map((k) => ({ name: k.name, index: k.index, reason: describeKeepReason(k.reason), why: k.reason })),
  };
}

function planText(plan: Plan): string {
  const json = planToJson(plan);
  const width = Math.max(0, ...plan.steps.map((s) => s.name.length), ...plan.kept.map((k) => k.name.length));
  const lines: string[] = [];
  if (plan.steps.length === 0) lines.push('nothing to do');
  for (const w of json.waves) {
    lines.push(`${w.phase} wave ${w.wave}:`);
    for (const s of w.steps) lines.push(`  ${s.action.padEnd(7)} ${s.name.padEnd(width)}  ${s.type.padEnd(7)}  ${s.reason}`);
  }
  if (json.kept.length > 0) {
    lines.push('kept up:');
    for (const k of json.kept) lines.push(`  ${'keep'.padEnd(7)} ${k.name.padEnd(width)}  ${k.reason}`);
  }
  return lines.map((l) => l.trimEnd()).join('\n');
}

/**
 * The plan as text (a header per wave, a line per service: action, name, type, reason) or as
 * pretty JSON (PlanJson). No trailing newline.
 */
export function renderPlan(plan: Plan, format: 'text' | 'json'): string {
  return format === 'json' ? JSON.stringify(planToJson(plan), null, 2) : planText(plan);
}

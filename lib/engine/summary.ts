// Summaries of a change: the plan as announced in change-started, and the exit code of the result.
import { ExitCode } from '../core/exit-codes.js';
import type { Plan } from '../plan/types.js';
import type { ExecutionSummary, PlanSummary } from './events.js';

/** The plan without its edges, for the change-started event. */
export function summarizePlan(plan: Plan): PlanSummary {
  return {
    kind: plan.kind,
    label: plan.label,
    steps: plan.steps.map(({ after: _after, ...rest }) => rest),
    kept: plan.kept,
  };
}

/** DESIGN.md §4: 2 when the global timeout expired, 1 when anything failed or was skipped/cancelled, else 0. */
export function summaryExitCode(summary: ExecutionSummary): 0 | 1 | 2 {
  if (summary.timedOut) return ExitCode.timeout;
  return summary.ok ? ExitCode.ok : ExitCode.failed;
}

// renderSummary: the closing lines of a change, naming the failed and the skipped services.
import type { ChangePhase, ExecutionSummary, FailedStep } from '../engine/events.js';
import { describeFailure, formatDuration, nameList, wasCancelled } from './phrases.js';

/** What got done; "nothing to do" only when nothing was left undone either. */
function counts(s: ExecutionSummary): string {
  const parts = [
    s.started > 0 ? `${s.started} started` : '',
    s.restarted > 0 ? `${s.restarted} restarted` : '',
    s.stopped > 0 ? `${s.stopped} stopped` : '',
    s.kept.length > 0 ? `${s.kept.length} kept up` : '',
  ].filter((p) => p !== '');
  if (parts.length > 0) return parts.join(', ');
  return s.failed.length > 0 || s.skipped.length > 0 ? 'nothing done' : 'nothing to do';
}

/** At most this many names in one line of a summary; the rest are counted ("and N more"). */
export const SUMMARY_MAX_NAMES = 20;
/** One failure's message in a summary is cut at this many characters. */
export const SUMMARY_MAX_MESSAGE = 300;

const cut = (text: string): string => (text.length <= SUMMARY_MAX_MESSAGE ? text : `${text.slice(0, SUMMARY_MAX_MESSAGE)}… (${text.length} characters)`);

/** "N failed: a (why), b (why)" for the given steps: at most 20 listed, each why cut at 300 characters. */
function withWhy(label: string, steps: readonly FailedStep[]): string {
  const listed = steps.slice(0, SUMMARY_MAX_NAMES).map((f) => `${f.name} (${cut(describeFailure(f.failure))})`);
  const more = steps.length > SUMMARY_MAX_NAMES ? ` and ${steps.length - SUMMARY_MAX_NAMES} more` : '';
  return `${steps.length} ${label}: ${listed.join(', ')}${more}`;
}

/** Lines (no trailing newline), e.g. "rc: 1 failed: migrate (exited 1)\nrc: 2 skipped: api, web\nrc: change failed after 1.2 s: 3 started". */
export function renderSummary(s: ExecutionSummary, prefix = 'rc', phase?: ChangePhase): string {
  return summaryLines(s, phase).map((l) => `${prefix}: ${l}`).join('\n');
}

/** What ended, as the last line names it: a change, or one phase of rc update. */
const SUBJECT: Record<ChangePhase | 'change', string> = {
  change: 'change',
  'update-stop': 'update: stop phase',
  'update-start': 'update: start phase',
  'update-restore': 'update: restart of what the stop phase stopped',
};

/** "change done in 3 ms", "update: stop phase failed after 1.2 s", ... */
function outcomeOf(s: ExecutionSummary, phase: ChangePhase | undefined): string {
  const what = SUBJECT[phase ?? 'change'];
  const time = formatDuration(s.durationMs);
  if (s.timedOut) return `${what} timed out after ${time}`;
  if (s.cancelled) return `${what} cancelled after ${time}`;
  return s.ok ? `${what} done in ${time}` : `${what} failed after ${time}`;
}

/** The summary's lines without a prefix; the last one says which change (or update phase) ended. */
export function summaryLines(s: ExecutionSummary, phase?: ChangePhase): string[] {
  const lines: string[] = [];
  // Steps the cancellation (or the global timeout) aborted are listed apart from the real failures.
  const failed = s.failed.filter((f) => !wasCancelled(f.failure));
  const cancelled = s.failed.filter((f) => wasCancelled(f.failure));
  if (failed.length > 0) lines.push(withWhy('failed', failed));
  if (cancelled.length > 0) lines.push(withWhy('cancelled', cancelled));
  if (s.skipped.length > 0) lines.push(`${s.skipped.length} skipped: ${nameList(s.skipped, SUMMARY_MAX_NAMES)}`);
  lines.push(`${outcomeOf(s, phase)}: ${counts(s)}`);
  return lines;
}

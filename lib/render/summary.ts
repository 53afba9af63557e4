// renderSummary: the closing lines of a change, naming the failed and the skipped services.
import type { ExecutionSummary } from '../engine/events.js';
import { describeFailure, formatDuration, nameList } from './phrases.js';

function counts(s: ExecutionSummary): string {
  const parts = [
    s.started > 0 ? `${s.started} started` : '',
    s.restarted > 0 ? `${s.restarted} restarted` : '',
    s.stopped > 0 ? `${s.stopped} stopped` : '',
    s.kept.length > 0 ? `${s.kept.length} kept up` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(', ') : 'nothing to do';
}

/** Lines (no trailing newline), e.g. "rc: 1 failed: migrate (exited 1)\nrc: 2 skipped: api, web\nrc: change failed after 1.2 s: 3 started". */
export function renderSummary(s: ExecutionSummary, prefix = 'rc'): string {
  const lines: string[] = [];
  if (s.failed.length > 0) {
    const failed = s.failed.map((f) => `${f.name} (${describeFailure(f.failure)})`).join(', ');
    lines.push(`${s.failed.length} failed: ${failed}`);
  }
  if (s.skipped.length > 0) lines.push(`${s.skipped.length} skipped: ${nameList(s.skipped)}`);
  const time = formatDuration(s.durationMs);
  const outcome = s.timedOut ? `change timed out after ${time}` : s.cancelled ? `change cancelled after ${time}` : s.ok ? `change done in ${time}` : `change failed after ${time}`;
  lines.push(`${outcome}: ${counts(s)}`);
  return lines.map((l) => `${prefix}: ${l}`).join('\n');
}

// LogRenderer: the daemon's own output (rc boot's stderr): every event that says something, as "rc: ..." lines or one JSON object per line.
import type { Writable } from 'node:stream';
import { isEngineEvent, type DaemonEvent } from '../daemon/events.js';
import type { EngineEvent } from '../engine/events.js';
import { plainLine } from './plain.js';
import { summaryLines } from './summary.js';

export interface LogRendererOptions {
  /** plain: "rc: line"; json: {"source":"rc","level":...,"line":...,"event":{...}} per line. */
  format: 'plain' | 'json';
  /** An ISO-8601 time on every line (as service output gets with --log-timestamps). */
  timestamps: boolean;
  /** Only failures and summaries of changes (the rest of the engine's progress is left out). */
  quiet: boolean;
  wallNow(): number;
}

/** With --quiet these engine events still print: what went wrong, and how each change ended. */
const QUIET_ENGINE = new Set<EngineEvent['type']>(['service-failed', 'service-skipped', 'timeout', 'change-done']);

function levelOf(e: DaemonEvent): 'info' | 'warning' | 'error' {
  switch (e.type) {
    case 'daemon-message':
      return e.level;
    case 'service-failed':
    case 'permanent-failure':
    case 'exec-failed':
    case 'finish-failed':
    case 'lock-failed':
      return 'error';
    case 'exited':
    case 'not-ready':
    case 'lock-busy':
    case 'kill-escalated':
    case 'finish-timeout':
    case 'timeout':
    case 'service-skipped':
      return 'warning';
    case 'change-done':
      return e.summary.ok ? 'info' : 'error';
    case 'health-changed':
      return e.health === 'unhealthy' ? 'warning' : 'info';
    default:
      return 'info';
  }
}

export class LogRenderer {
  readonly #out: Writable;
  readonly #o: LogRendererOptions;

  constructor(out: Writable, o: LogRendererOptions) {
    this.#out = out;
    this.#o = o;
  }

  /** A line of the daemon's own, outside the event stream (before the daemon exists). */
  message(level: 'info' | 'warning' | 'error', message: string, hint?: string): void {
    this.handle({ type: 'daemon-message', level, message, ...(hint !== undefined ? { hint } : {}) });
  }

  handle(e: DaemonEvent): void {
    if (isEngineEvent(e) && this.#o.quiet && !QUIET_ENGINE.has(e.type)) return;
    const text = e.type === 'change-done' ? summaryLines(e.summary, e.phase).join('\n') : plainLine(e);
    if (text === undefined) return;
    const time = this.#o.timestamps ? new Date(this.#o.wallNow()).toISOString() : null;
    if (this.#o.format === 'json') {
      const obj = { source: 'rc', level: levelOf(e), ...(time ? { time } : {}), line: text, event: e };
      this.#out.write(`${JSON.stringify(obj)}\n`);
      return;
    }
    const stamp = time ? `${time} ` : '';
    const hint = e.type === 'daemon-message' && e.hint !== undefined ? `  hint: ${e.hint}\n` : '';
    this.#out.write(`${text.split('\n').map((l) => `${stamp}rc: ${l}`).join('\n')}\n${hint}`);
  }
}

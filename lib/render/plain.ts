// PlainRenderer: one line per engine event ("rc: starting db", "rc: db started (120 ms)"), for pipes and logs.
import type { Writable } from 'node:stream';
import { unreachable } from '../core/result.js';
import { isEngineEvent, isSupervisorEvent, type DaemonEvent } from '../daemon/events.js';
import type { EngineEvent } from '../engine/events.js';
import { noticeLine, supervisorLine } from './notices.js';
import { describeKeepReason, describeSkipReason, failedLine, formatDuration, nameList, verb } from './phrases.js';
import type { EventRenderer, RendererOptions } from './renderer.js';
import { renderSummary } from './summary.js';

/** The line for any event, without prefix; undefined when the event prints nothing. */
export function plainLine(e: DaemonEvent): string | undefined {
  if (isEngineEvent(e)) return engineLine(e);
  return isSupervisorEvent(e) ? supervisorLine(e) : noticeLine(e);
}

/** The line for an engine event, without prefix; undefined for the start and the end of a change. */
export function engineLine(e: EngineEvent): string | undefined {
  switch (e.type) {
    case 'change-started':
      return undefined;
    case 'service-starting':
    case 'service-stopping':
      return `${verb(e.action, 'ing')} ${e.name}`;
    case 'service-started':
    case 'service-stopped':
      return `${e.name} ${verb(e.action, 'ed')} (${formatDuration(e.durationMs)})`;
    case 'service-failed':
      return failedLine(e);
    case 'service-skipped':
      return `${e.name} skipped: ${describeSkipReason(e.reason)}`;
    case 'service-kept':
      return `${e.name} kept up: ${describeKeepReason(e.reason)}`;
    case 'timeout':
      return `global timeout (${formatDuration(e.timeoutMs)}) expired${e.inFlight.length > 0 ? `: cancelling ${nameList(e.inFlight)}` : ''}`;
    case 'change-done':
      return undefined;
    default:
      return unreachable(e, 'engine event');
  }
}

export class PlainRenderer implements EventRenderer {
  readonly #out: Writable;
  readonly #prefix: string;

  constructor(out: Writable, options: RendererOptions = {}) {
    this.#out = out;
    this.#prefix = options.prefix ?? 'rc';
  }

  handle(e: DaemonEvent): void {
    if (e.type === 'change-done') {
      this.#out.write(`${renderSummary(e.summary, this.#prefix, e.phase)}\n`);
      return;
    }
    const line = plainLine(e);
    if (line !== undefined) this.#out.write(`${this.#prefix}: ${line}\n`);
  }

  serviceOutput(name: string, line: string): void {
    this.#out.write(`${name}: ${line}\n`);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

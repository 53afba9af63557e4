// EventRenderer: what every progress renderer offers to the CLI (subscribe with `handle`, then `close`).
import type { DaemonEvent } from '../daemon/events.js';

export interface EventRenderer {
  /** Any event of the vocabulary: engine steps as progress, the rest as lines (or nothing, for bookkeeping). */
  handle(event: DaemonEvent): void;
  /** A line a service (e.g. a oneshot's script) printed during the change, shown under its name. */
  serviceOutput(name: string, line: string): void;
  /** Resolves once everything is written (the listr renderer finishes its last frame). */
  close(): Promise<void>;
}

export interface RendererOptions {
  /** Line prefix, "rc" by default ("rc: starting db"). */
  prefix?: string;
}

// EventRenderer: what every progress renderer offers to the CLI (subscribe with `handle`, then `close`).
import type { EngineEvent } from '../engine/events.js';

export interface EventRenderer {
  handle(event: EngineEvent): void;
  /** A line a service (e.g. a oneshot's script) printed during the change, shown under its name. */
  serviceOutput(name: string, line: string): void;
  /** Resolves once everything is written (the listr renderer finishes its last frame). */
  close(): Promise<void>;
}

export interface RendererOptions {
  /** Line prefix, "rc" by default ("rc: starting db"). */
  prefix?: string;
}

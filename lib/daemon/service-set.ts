// ServiceSet: what the daemon needs from the supervision core, per atomic service index (the engine's driver and more).
import type { ServiceDriver } from '../engine/driver.js';
import type { Awaited, SvcCommand, WaitCondition } from './types.js';

/** The live part of a status row. */
export interface LiveView {
  state: string;
  pid: number | null;
  /** Wall ms when the current state began, or null. */
  since: number | null;
  ready: boolean | null;
  restarts: number;
  lastExit: { code: number | null; signal: string | null } | null;
  /** A longrun's health check verdict and the wall ms of its last check (absent: no check). */
  health?: 'starting' | 'healthy' | 'unhealthy' | null;
  healthCheckedAt?: number | null;
}

/** How one service's wait ended; `message` says why it failed (the supervision core's words). */
export interface WaitOutcome {
  kind: 'reached' | 'failed' | 'timeout' | 'aborted';
  message?: string;
}

/** A line a service wrote, as the daemon forwards it to the client of the running change. */
export type OutputListener = (service: string, stream: 'stdout' | 'stderr', line: string) => void;

export interface ServiceSet extends ServiceDriver {
  /** The live view of one service (longrun: its supervisor; oneshot: up/down or in flight). */
  view(index: number, recordedUp: boolean): LiveView;
  /** s6-svc letters on a longrun. */
  svc(index: number, commands: readonly SvcCommand[]): void;
  /** Wait for a longrun's supervisor state; oneshots are waited on by the daemon. */
  waitFor(index: number, until: WaitCondition, timeoutMs: number, signal: AbortSignal): Promise<WaitOutcome>;
  /** Cancel the start of `index` in flight (its transition reports it cancelled); false when none is. */
  cancelStart(index: number, by: string): boolean;
  /** The starts and stops in flight (what `rc status` says the daemon waits for). */
  inFlight(): Awaited[];
  /** Where the lines oneshots write go, besides the daemon's stdout (null: nowhere else). */
  setOutputListener(listener: OutputListener | null): void;
  /**
   * Shutdown mode: a longrun stop that runs out of time is finished with SIGKILL to its process
   * group and counts as done, so the shutdown goes on to what it depends on.
   */
  beginShutdown(): void;
  /** Last resort at shutdown: SIGKILL every process group still alive; resolves when they are gone. */
  killAll(): Promise<void>;
  /** Process groups alive right now (for the shutdown check). */
  liveGroups(): number[];
  /** Release everything (pipes, timers); after killAll. */
  close(): void;
}

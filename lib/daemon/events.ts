// DaemonEvent: the one vocabulary of everything the daemon reports (engine, supervisors, the daemon itself); renderers and adapters consume it.
import type { EngineEvent } from '../engine/events.js';
import type { SupervisorEvent } from '../supervise/types.js';

/** Who asked for a halt. */
export type HaltOrigin =
  | { kind: 'client'; pid: number | null }
  /** A service's script ran `rc halt` (its finish, typically). */
  | { kind: 'service'; name: string; pid: number | null }
  | { kind: 'signal'; signal: string }
  | { kind: 'main-command'; code: number; exit: string }
  | { kind: 'boot-failed'; message: string }
  | { kind: 'daemon'; reason: string };

/** What the daemon itself reports, one kebab-case member per fact. */
export type DaemonNotice =
  /** A line of the daemon's own (start-up, scan, warnings, internal errors). */
  | { type: 'daemon-message'; level: 'info' | 'warning' | 'error'; message: string; hint?: string }
  /** A shutdown was asked for: by whom, with which exit code. */
  | { type: 'halt-requested'; code: number; origin: HaltOrigin }
  /** The shutdown begins: every service goes down in reverse order. */
  | { type: 'shutdown-started'; code: number }
  /** Everything is down; the daemon exits with `code`. */
  | { type: 'daemon-exiting'; code: number }
  /** What is wanted changed (a request, a scan): names now wanted up, and now wanted down. */
  | { type: 'wanted-changed'; by: string; up: string[]; down: string[] }
  /** rc's recorded state of a service changed. */
  | { type: 'recorded'; service: string; up: boolean }
  /** A start in flight was cancelled by `rc down` / `rc svc -d` (its waiting request reports it cancelled). */
  | { type: 'start-cancelled'; service: string; by: string }
  /** The client of a running transition went away: the transition is cancelled. */
  | { type: 'transition-cancelled'; label: string; reason: string };

export type DaemonEvent = EngineEvent | SupervisorEvent | DaemonNotice;
export type DaemonEventType = DaemonEvent['type'];

const ENGINE_TYPES = new Set<string>([
  'change-started', 'service-starting', 'service-stopping', 'service-started', 'service-stopped',
  'service-failed', 'service-skipped', 'service-kept', 'timeout', 'change-done',
] satisfies EngineEvent['type'][]);

/** An engine event (a step of a change), as opposed to a supervisor's or the daemon's. */
export const isEngineEvent = (e: DaemonEvent): e is EngineEvent => ENGINE_TYPES.has(e.type);

/** A supervisor's event (it names its service and carries a wall time). */
export const isSupervisorEvent = (e: DaemonEvent): e is SupervisorEvent => 'service' in e && 'time' in e;

// The longrun supervisor's internal states (a tagged union) and how they map to the public state and status.
//
//            up()                       spawn ok                 readiness
//   down ──────────▶ (spawning) ───────────────────▶ up ───────────────────▶ ready
//    ▲  ▲               │ exec failed                │ down()/restart()       │
//    │  │               ▼                            ▼                        │
//    │  └──────── waiting ◀──────────┐          stopping ◀───────────────────┘
//    │   (throttle/exec-retry/lock)  │ wanted up     │ run died (also from up/ready)
//    │                               │               ▼
//    └──────── not wanted ◀──── finish done ◀──── finishing ──── finish exit 125 ───▶ failed
//
// `exited` is terminal: exit() was called and the service is down.
import { unreachable } from '../core/result.js';
import type { TimerHandle } from '../core/clock.js';
import type { ChildHandle } from './spawner.js';
import type { RunHistory } from './history.js';
import type { HealthMonitor } from './health.js';
import type { ReadinessWatch } from './readiness.js';
import type { SupervisorState, SupervisorStatus } from './types.js';

/** One execution of ./run. */
export interface Run {
  child: ChildHandle;
  pid: number;
  /** Monotonic ms. */
  spawnedAt: number;
  /** Wall ms once ready. */
  readySince: number | null;
  /** Monotonic ms when it became ready (notification-fd or a ready-* probe): drives the restart throttle. */
  readyAt: number | null;
  readiness: ReadinessWatch | null;
  /** The health check of this run (rc extension), from up (or ready) until it stops. */
  health: HealthMonitor | null;
  /** Set when this run can no longer become ready. */
  notReady: 'eof' | 'timeout' | null;
  notReadyMessage: string;
}

export const newRun = (child: ChildHandle, pid: number, spawnedAt: number): Run => ({
  child,
  pid,
  spawnedAt,
  readySince: null,
  readyAt: null,
  readiness: null,
  health: null,
  notReady: null,
  notReadyMessage: '',
});

export type State =
  | { kind: 'down' }
  | { kind: 'waiting'; reason: 'throttle' | 'exec-retry' | 'lock'; timer: TimerHandle }
  | { kind: 'spawning'; child: ChildHandle }
  | { kind: 'up'; run: Run }
  | { kind: 'ready'; run: Run }
  | { kind: 'stopping'; run: Run; killTimer: TimerHandle | null }
  /** ./run is dead; ./finish (if any) runs. `readyAt` of the dead run drives the throttle. */
  | { kind: 'finishing'; readyAt: number | null }
  | { kind: 'failed'; reason: string }
  | { kind: 'exited' };

export function publicState(state: State): SupervisorState {
  switch (state.kind) {
    case 'down':
    case 'exited':
      return 'down';
    case 'waiting':
    case 'spawning':
      return 'starting';
    case 'up':
      return 'up';
    case 'ready':
      return 'ready';
    case 'stopping':
      return 'stopping';
    case 'finishing':
      return 'finishing';
    case 'failed':
      return 'failed';
    default:
      return unreachable(state, 'state');
  }
}

/** The live run, in the states that have one. */
export function currentRun(state: State): Run | null {
  switch (state.kind) {
    case 'up':
    case 'ready':
    case 'stopping':
      return state.run;
    case 'down':
    case 'waiting':
    case 'spawning':
    case 'finishing':
    case 'failed':
    case 'exited':
      return null;
    default:
      return unreachable(state, 'state');
  }
}

/** The public snapshot of one supervisor (the process group of a run is led by its pid). */
export function statusSnapshot(name: string, state: State, h: RunHistory, wantUp: boolean): SupervisorStatus {
  const run = currentRun(state);
  return {
    name,
    state: publicState(state),
    pid: run?.pid ?? null,
    pgid: run?.pid ?? null,
    since: h.since,
    readySince: run?.readySince ?? null,
    lastExit: h.lastExit,
    restarts: h.restarts,
    wantUp,
    deathTally: h.tally.count,
    paused: h.paused,
    health: run?.health?.snapshot().health ?? null,
    healthCheckedAt: run?.health?.snapshot().checkedAt ?? null,
  };
}

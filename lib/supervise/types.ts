// The supervision core's public vocabulary: stdio routing, output sink, status, events, wait results.

/** 'sink' = a pipe handed to the OutputSink; 'ignore' = /dev/null; number = an fd the daemon holds. */
export type StdioTarget = 'sink' | 'ignore' | number;

/** How to wire a service's stdio when it is spawned. */
export interface StdioRouting {
  stdin: 'ignore' | number;
  stdout: StdioTarget;
  stderr: StdioTarget;
}

/** Receives a service's output streams (the logging layer implements it). */
export interface OutputSink {
  attach(service: string, stream: 'stdout' | 'stderr', source: NodeJS.ReadableStream): void;
}

/** The public state of a longrun, as `rc status` shows it. */
export type SupervisorState = 'down' | 'starting' | 'up' | 'ready' | 'stopping' | 'finishing' | 'failed';

/** A cheap snapshot of one supervised longrun. */
export interface SupervisorStatus {
  name: string;
  state: SupervisorState;
  /** Main process id while running (up, ready, stopping). */
  pid: number | null;
  /** Its process group (= pid: every run gets its own session). */
  pgid: number | null;
  /** Wall ms of the last up/down change (spawn or death). */
  since: number;
  /** Wall ms when the current run reported readiness. */
  readySince: number | null;
  lastExit: { code: number | null; signal: string | null } | null;
  /** Automatic restarts after a death (explicit ups are not counted). */
  restarts: number;
  wantUp: boolean;
  /** Deaths remembered (at most max-death-tally). */
  deathTally: number;
  /** True after `p` (SIGSTOP) until `c` (SIGCONT) or the next death. */
  paused: boolean;
  /** The health check of the current run (rc extension): null when there is none or nothing runs. */
  health: 'starting' | 'healthy' | 'unhealthy' | null;
  /** Wall ms of the end of the current run's last check, null before the first. */
  healthCheckedAt: number | null;
}

interface EventBase {
  service: string;
  /** Wall ms. */
  time: number;
}

/** Everything a supervisor reports, one kebab-case member per fact. */
export type SupervisorEvent = EventBase &
  (
    | { type: 'wanted'; wantUp: boolean }
    /** `restart`: an automatic restart after a death (or a lock wait), not a start asked for. */
    | { type: 'spawned'; pid: number; restart: boolean }
    | { type: 'ready' }
    | { type: 'not-ready'; reason: 'eof' | 'timeout'; message: string }
    /**
     * The health check's verdict changed (rc extension): `output` is the last check's output or
     * failure reason, `checkedAt` its wall ms; `action` says what follows an unhealthy verdict.
     */
    | { type: 'health-changed'; health: 'healthy' | 'unhealthy'; output: string; checkedAt: number; action: 'restart' | 'none' }
    | { type: 'signalled'; pid: number; signal: NodeJS.Signals }
    | { type: 'stopping'; pid: number; signal: NodeJS.Signals }
    | { type: 'kill-escalated'; pgid: number }
    /** `expected`: the supervisor was stopping it (or it was not wanted up); otherwise it died. */
    | { type: 'exited'; pid: number; code: number | null; signal: string | null; expected: boolean }
    | { type: 'leftovers-killed'; pgid: number }
    | { type: 'finish-started'; pid: number }
    | { type: 'finish-timeout'; pid: number }
    | { type: 'finish-done'; code: number | null; signal: string | null }
    | { type: 'finish-failed'; path: string; errno: string; message: string }
    | { type: 'permanent-failure'; reason: string }
    | { type: 'exec-failed'; path: string; errno: string; message: string; retryInMs: number }
    | { type: 'lock-busy'; path: string; message: string }
    | { type: 'lock-failed'; path: string; message: string }
    | { type: 'down' }
    | { type: 'throttled'; delayMs: number }
    | { type: 'supervisor-exited' }
  );

export type SupervisorEventType = SupervisorEvent['type'];

/**
 * The outcome of `waitFor`. `exec-failed` (up/ready only): `./run` could not be executed; the
 * supervisor keeps retrying every 10 s as s6 does, but a transition should not wait for that.
 */
export type WaitResult =
  | { ok: true }
  | { ok: false; reason: 'timeout' | 'permanent-failure' | 'aborted' | 'exec-failed' | 'unhealthy'; message: string };

/** 'healthy': the current run passed a health check (fails when it is unhealthy or stops first). */
export type WaitTarget = 'up' | 'ready' | 'healthy' | 'down';

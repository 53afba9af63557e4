// Control protocol v1: the JSON-lines requests, replies and streamed events between the CLI and the daemon.
//
// One request per line, one reply object per line. Every request carries `v` (protocol version)
// and a client-chosen numeric `id`; every reply echoes it. A request gets zero or more `queued`
// and `event` replies, then exactly one `result` or `error` (except `subscribe`, which streams
// until the client hangs up).

export const PROTOCOL_VERSION = 1;
/** Longest accepted request line (bytes, newline excluded). Longer: error reply, then close. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** The socket's file name inside the live directory. */
export const CONTROL_SOCKET = 'control';

/** Options every transition request (change/up/down/restart) accepts. */
export interface TransitionFlags {
  /** Return the plan instead of running it. */
  dryRun: boolean;
  /** Bring essential services down too. */
  force: boolean;
  /** Global deadline in ms for the whole transition; 0 = none. */
  timeoutMs: number;
  /** Cap on concurrent transitions; 0 = unlimited. */
  jobs: number;
  /** Fail at once (instead of queueing) when another transition is running. */
  noWait: boolean;
}

export type SvcCommand = 'u' | 'd' | 'o' | 'r' | 'k' | 't' | 'h' | 'i' | 'a' | 'b' | 'q' | '1' | '2' | 'p' | 'c' | 'y' | 'x';
export type WaitCondition = 'up' | 'ready' | 'down';
export type ListFilter = 'all' | 'up' | 'down';

interface Base {
  v: number;
  id: number;
}

export type Request =
  | (Base & { op: 'change'; targets: string[] } & TransitionFlags)
  | (Base & { op: 'up'; names: string[] } & TransitionFlags)
  | (Base & { op: 'down'; names: string[] } & TransitionFlags)
  | (Base & { op: 'restart'; names: string[]; deps: boolean } & TransitionFlags)
  | (Base & { op: 'status'; names: string[] })
  | (Base & { op: 'list'; names: string[]; filter: ListFilter })
  | (Base & { op: 'wait'; names: string[]; until: WaitCondition; timeoutMs: number })
  | (Base & { op: 'svc'; names: string[]; commands: SvcCommand[] })
  /** `wait`: reply once everything is down (default), or as soon as the shutdown is accepted. */
  | (Base & { op: 'halt'; code: number; wait: boolean })
  | (Base & { op: 'logs'; names: string[]; lines: number; follow: boolean })
  | (Base & { op: 'subscribe' })
  /** Scandir mode: read the scan directory again (queued like a transition). */
  | (Base & { op: 'scan'; timeoutMs: number });

export type Op = Request['op'];
export type TransitionOp = 'change' | 'up' | 'down' | 'restart';
export type TransitionRequest = Extract<Request, { op: TransitionOp }>;

/** One row of `rc status`. */
export interface StatusRow {
  name: string;
  type: 'oneshot' | 'longrun';
  /** What rc records: the service completed its up transition and was not brought down since. */
  up: boolean;
  /** What the last request wants. */
  wanted: boolean;
  /** The live state: for a longrun, its supervisor's state; for a oneshot, up/down/starting/stopping. */
  state: string;
  pid: number | null;
  /** ms since the current up/down state began, or null when unknown. */
  sinceMs: number | null;
  /** null for a oneshot or a longrun without readiness reporting. */
  ready: boolean | null;
  restarts: number;
  /** Last exit of the longrun's `run`: code or signal name, or null. */
  lastExit: { code: number | null; signal: string | null } | null;
  essential: boolean;
}

export interface DaemonInfo {
  pid: number;
  live: string;
  db: string;
  /** What is being done right now ("change default"), or null when idle. */
  busy: string | null;
  queued: number;
  startedAt: number;
}

/** What the daemon streams to a client (as `event` replies). */
export type StreamEvent =
  /** An engine event of the transition the client asked for (lib/engine EngineEvent, as JSON). */
  | { kind: 'engine'; event: unknown }
  /** A line a oneshot or longrun wrote while the transition ran. */
  | { kind: 'output'; service: string; stream: 'stdout' | 'stderr'; line: string }
  /** A supervisor's state change (subscribe). */
  | { kind: 'service'; service: string; event: unknown }
  /** The whole status, sent first to a subscriber. */
  | { kind: 'snapshot'; daemon: DaemonInfo; services: StatusRow[] }
  /** rc's recorded state of a service changed (subscribe). */
  | { kind: 'state'; service: string; up: boolean }
  /** A log line (rc logs). */
  | { kind: 'log'; service: string; stream: 'stdout' | 'stderr'; line: string; time: number }
  /** A free-form note for the user (essential services kept up, ...). */
  | { kind: 'note'; message: string };

export type Reply =
  | { v: number; id: number | null; type: 'result'; exitCode: number; data: unknown }
  | { v: number; id: number | null; type: 'error'; exitCode: number; message: string; hint?: string }
  | { v: number; id: number | null; type: 'event'; event: StreamEvent }
  /** The request waits behind others: `position` requests are ahead, `running` is being served. */
  | { v: number; id: number | null; type: 'queued'; position: number; running: string };

/** What a transition request's result carries. */
export interface TransitionResultData {
  /** The lib/plan Plan, when dryRun. */
  plan?: unknown;
  /** The lib/engine ExecutionSummary of the run. */
  summary?: unknown;
  notes: string[];
}

export interface StatusResultData {
  daemon: DaemonInfo;
  services: StatusRow[];
}

/** What `rc scan` answers: what changed, by service name. */
export interface ScanResultData {
  /** The scan directory. */
  dir: string;
  added: string[];
  removed: string[];
  /** Folders whose settings changed: their supervisor was replaced. */
  replaced: string[];
  /** Started by the scan (new ones without `down`, replaced ones that were up), when the start succeeded. */
  started: string[];
  /** Folders left out because of errors. */
  skipped: string[];
  /** The diagnostics of the reading, formatted (`PATH: warning: ...`). */
  diagnostics: string[];
  /** lib/engine ExecutionSummary of each step that ran (stop, start). */
  summaries: unknown[];
}

export interface ListResultData {
  names: string[];
}

export const TRANSITION_OPS: readonly TransitionOp[] = ['change', 'up', 'down', 'restart'];
export const isTransition = (r: Request): r is TransitionRequest => (TRANSITION_OPS as readonly string[]).includes(r.op);

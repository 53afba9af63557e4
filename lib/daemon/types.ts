// The typed daemon API: what the daemon offers its adapters (control socket, HTTP) and in-process callers, and the data it answers with.
import type { Result } from '../core/result.js';
import type { ExecutionSummary } from '../engine/events.js';
import type { Db } from '../db/db.js';
import type { Plan } from '../plan/types.js';
import type { DaemonEvent, HaltOrigin } from './events.js';

export type { HaltOrigin } from './events.js';

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
  /**
   * Fail at once (instead of queueing) when another transition is running; the transition then
   * also goes on when the caller goes away (without it, a caller that leaves cancels it).
   */
  noWait: boolean;
}

export type SvcCommand = 'u' | 'd' | 'o' | 'r' | 'k' | 't' | 'h' | 'i' | 'a' | 'b' | 'q' | '1' | '2' | 'p' | 'c' | 'y' | 'x';
/** `healthy`: the current run passed its health check (longruns with health-cmd|http|tcp; see wait-targets.ts). */
export type WaitCondition = 'up' | 'ready' | 'healthy' | 'down';
export type ListFilter = 'all' | 'up' | 'down';
export type TransitionOp = 'change' | 'up' | 'down' | 'restart';

/** A change/up/down/restart as the daemon receives it (`names` are the targets of a change). */
export type TransitionCall = { op: TransitionOp; names: string[]; deps?: boolean } & TransitionFlags;

/** What the daemon waits for right now (a start or a stop in flight). */
export interface Awaited {
  name: string;
  /** 'ready' (a longrun's readiness), 'up' (spawned), 'down' (stopped), 'up script' / 'down script' (a oneshot). */
  what: string;
  sinceMs: number;
}

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
  /** The health check's verdict on the current run (rc extension): null without a check, or when nothing runs. */
  health: 'starting' | 'healthy' | 'unhealthy' | null;
  /** Wall ms (epoch) of the end of the last health check of the current run, or null. */
  healthCheckedAt: number | null;
}

export interface DaemonInfo {
  pid: number;
  live: string;
  db: string;
  /** What is being done right now ("change default"), or null when idle. */
  busy: string | null;
  /** ms since the running request began, or null when idle. */
  busyMs: number | null;
  /** The starts and stops the running request waits for. */
  waitingFor: Awaited[];
  queued: number;
  startedAt: number;
}

/** What a transition's result carries. */
export interface TransitionResultData {
  /** The plan, when dryRun. */
  plan?: Plan;
  /** The run's summary (not with dryRun). */
  summary?: ExecutionSummary;
  notes: string[];
}

export interface StatusResultData {
  daemon: DaemonInfo;
  services: StatusRow[];
}

export interface ListResultData {
  names: string[];
}

export interface WaitResultData {
  message?: string;
  failed?: string[];
  pending?: string[];
}

export interface HaltResultData {
  code: number;
  /** True when the reply came before the shutdown (halt without wait). */
  accepted?: boolean;
}

export interface LogLine {
  service: string;
  stream: 'stdout' | 'stderr';
  line: string;
  time: number;
}

export interface LogsResultData {
  lines: LogLine[];
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
  /** The summary of each step that ran (stop, start). */
  summaries: ExecutionSummary[];
}

/** `rc update`: switch the running daemon to a new compiled db (db mode only). */
export interface UpdateCall {
  /** The new compiled db (absolute path); or, with `source`, none: the daemon compiles into its live dir. */
  compiled?: string;
  /** Source directories (absolute) to compile first. */
  source?: string[];
  /** s6-rc-update's conversion file (absolute path): renames, forced restarts. */
  convfile?: string;
  dryRun: boolean;
  /** Global deadline of each phase (stop, then start); 0 = none. */
  timeoutMs: number;
  jobs: number;
  noWait: boolean;
}

/** What `rc update` answers: what differs, the two phases' plans (and, when run, their summaries). */
export interface UpdateResultData {
  /** The new db's directory. */
  db: string;
  removed: string[];
  /** `from` differs from `name` when renamed. */
  changed: { name: string; from: string; fields: string[] }[];
  /** Renamed services that did not change (not restarted). */
  renamed: { from: string; name: string }[];
  unchanged: number;
  added: string[];
  /** Stop phase (old db), then start phase (new db). */
  stop: Plan;
  start: Plan;
  /** Each phase's summary, when run (not with dryRun; no start summary when the stop phase failed). */
  summaries: ExecutionSummary[];
  /** True once the daemon serves the new db. */
  switched: boolean;
  /** The compiler's diagnostics with --source, formatted. */
  diagnostics: string[];
  notes: string[];
}

/** What the daemon streams to a caller while it serves a request (or to a subscriber). */
export type StreamEvent =
  /** An event of the one vocabulary (engine, supervisor, daemon). */
  | { kind: 'event'; event: DaemonEvent }
  /** A line a oneshot or longrun wrote while the caller's transition ran. */
  | { kind: 'output'; service: string; stream: 'stdout' | 'stderr'; line: string }
  /** The whole status, sent first to a subscriber. */
  | { kind: 'snapshot'; daemon: DaemonInfo; services: StatusRow[] }
  /** A log line (rc logs). */
  | ({ kind: 'log' } & LogLine);

/** A refusal or an error: the CLI's exit code, a message, and a hint where one helps. */
export interface ApiError {
  exitCode: number;
  message: string;
  hint?: string;
}

/** An answer: the exit code (0, or 1/2 when a transition failed or timed out) and the data; or an error. */
export type Answer<T> = Result<{ exitCode: number; data: T }, ApiError>;

/** How a caller follows its request. */
export interface CallContext {
  /** Aborted when the caller goes away (a client disconnects): a waiting request is dropped, a running transition cancelled (unless noWait). */
  signal?: AbortSignal;
  /** Events of this request as they happen. */
  onEvent?(event: StreamEvent): void;
  /** The request waits: `position` requests are ahead, `running` is served now. */
  onQueued?(position: number, running: string): void;
}

/** The daemon, as every adapter and in-process caller sees it. */
export interface DaemonApi {
  info(): DaemonInfo;
  transition(call: TransitionCall, ctx?: CallContext): Promise<Answer<TransitionResultData>>;
  status(names: string[]): Answer<StatusResultData>;
  list(names: string[], filter: ListFilter): Answer<ListResultData>;
  wait(names: string[], until: WaitCondition, timeoutMs: number, ctx?: CallContext): Promise<Answer<WaitResultData>>;
  svc(names: string[], commands: SvcCommand[]): Answer<null>;
  /** Shut down with `code`; with `wait`, answers once everything is down. */
  halt(code: number, wait: boolean, origin: HaltOrigin): Promise<Answer<HaltResultData>>;
  /** Who a halt from process `pid` comes from: the service whose process group it runs in, else a client. */
  originOfPid(pid: number | null): HaltOrigin;
  logs(names: string[], lines: number): Answer<LogsResultData>;
  /** The recent lines, then every new one, as `log` events until ctx.signal aborts. */
  followLogs(names: string[], lines: number, ctx: CallContext & { signal: AbortSignal }): Answer<null>;
  /** A snapshot, then every event, until `signal` aborts. */
  subscribe(onEvent: (event: StreamEvent) => void, signal?: AbortSignal): void;
  /** Scandir mode: read the scan directory again (queued like a transition). */
  scan(timeoutMs: number, ctx?: CallContext): Promise<Answer<ScanResultData>>;
  /** DB mode: switch to a new compiled db, restarting only what changed (queued like a transition). */
  update(call: UpdateCall, ctx?: CallContext): Promise<Answer<UpdateResultData>>;
}

/** What an adapter sees of the daemon: the API, where the live dir is, and a way to report a problem of its own. */
export interface AdapterHost extends DaemonApi {
  readonly paths: { dir: string; socket: string };
  /** The compiled db served now (the HTTP dashboard draws its graph). */
  readonly db: Db;
  /** One line of the daemon's own ("warning: ..." / "error: ..." set the level). */
  message(text: string): void;
}

/** An adapter (the control socket, HTTP): started once the daemon is assembled, closed after its shutdown. */
export type Adapter = (host: AdapterHost) => Promise<Result<{ close(): Promise<void> }, string>>;

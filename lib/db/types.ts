// CompiledDb: the on-disk, versioned, immutable result of `rc compile` (DESIGN.md §3.3).
//
// Layout of a compiled database directory:
//   COMPILED/db.json               the index below (JSON, FORMAT_VERSION)
//   COMPILED/servicedirs/NAME/     every atomic service's copied files (run, finish, data/, env/, ...)
// Services are indexed by integer; `deps`/`rdeps` hold indices in both directions,
// bundles are already flattened to atomic member indices.

export const FORMAT_VERSION = 1;
export const DB_INDEX_FILE = 'db.json';
export const SERVICEDIRS = 'servicedirs';
export { DEFAULT_COMPILED } from '../core/defaults.js';

export type AtomicType = 'oneshot' | 'longrun';
export type ServiceType = AtomicType | 'bundle';

export interface ServiceFlags {
  /** flag-essential: not brought down without --force. */
  essential: boolean;
}

interface AtomicBase {
  index: number;
  name: string;
  flags: ServiceFlags;
  /** Direct dependencies (atomic indices, sorted, bundles resolved, implicit edges added). */
  deps: number[];
  /** Direct reverse dependencies: the services that depend on this one. */
  rdeps: number[];
  /** ms; 0 = no limit. */
  timeoutUp: number;
  timeoutDown: number;
  /** The source definition directory this came from (for messages). */
  source: string;
  /**
   * rc extension (`dependencies.d/NAME` holding a word): what this service waits for on each
   * dependency whose condition is not the default `ready`, keyed by the dependency's index.
   * Absent when every edge is `ready` (so dbs without conditions keep their shape).
   */
  conditions?: Record<string, EdgeCondition>;
}

/**
 * What a dependent waits for on one edge: `ready` (default: up, and ready when it has readiness;
 * a oneshot done), `started` (its process spawned), `healthy` (its first health check passed).
 */
export type EdgeCondition = 'ready' | 'started' | 'healthy';
export const EDGE_CONDITIONS: readonly EdgeCondition[] = ['ready', 'started', 'healthy'];

export interface OneshotService extends AtomicBase {
  type: 'oneshot';
  /** Lexed `up` (execline lexer rules); [] = no-op. */
  up: string[];
  /** Lexed `down`; [] = no-op. */
  down: string[];
}

/** The target of a probe (readiness or health): a TCP connect, an HTTP GET (2xx/3xx), a command (exit 0). */
export type ProbeTarget = { kind: 'tcp'; host: string; port: number } | { kind: 'http'; url: string } | { kind: 'cmd'; argv: string[] };

/** rc extension: polling readiness probes (files s6-rc ignores). */
export type PollingProbe = ProbeTarget & { intervalMs: number; timeoutMs: number };

/** rc extension `ready-log`: the first output line (stdout or stderr) matching `pattern` (JavaScript regex) makes it ready. */
export interface LogReadiness {
  kind: 'log';
  pattern: string;
  /** `ready-timeout` (0 = none); intervalMs is unused, kept so every readiness has the same fields. */
  intervalMs: number;
  timeoutMs: number;
}

export type ReadinessProbe = PollingProbe | LogReadiness;

/** What an unhealthy service gets: restarted (default), or only reported. */
export type HealthAction = 'restart' | 'none';
export const HEALTH_ACTIONS: readonly HealthAction[] = ['restart', 'none'];

/** rc extension: a continuous health check (health-cmd / health-http / health-tcp and their settings). */
export type HealthCheck = ProbeTarget & {
  /** ms between the end of one check and the start of the next. */
  intervalMs: number;
  /** ms a single check may take (then it fails; a command is killed with its process group). */
  timeoutMs: number;
  /** Consecutive failures before the service is unhealthy. */
  retries: number;
  /** ms after the service is up during which failures do not count. */
  startPeriodMs: number;
  action: HealthAction;
};

export interface LongrunService extends AtomicBase {
  type: 'longrun';
  /** Present when the compiled service dir has a finish script. */
  hasFinish: boolean;
  notificationFd: number | null;
  lockFd: number | null;
  /** ms after down-signal before SIGKILL; 0 = never. */
  timeoutKill: number;
  /** ms before finish is killed; default 5000; 0 = unlimited. */
  timeoutFinish: number;
  /** default 100, max 4096. */
  maxDeathTally: number;
  /** Signal name, e.g. 'SIGTERM'. */
  downSignal: NodeJS.Signals;
  /** rc extension `restart-delay` (ms): the restart throttle floor; null = s6's 1000 ms rule. */
  restartDelay: number | null;
  /** rc extension readiness probe (ready-tcp / ready-http / ready-cmd); null = none. */
  readiness: ReadinessProbe | null;
  /** rc extension health check; absent = none (absent rather than null: older dbs keep their shape). */
  health?: HealthCheck;
  /** Index of the consumer this service produces for, or null. */
  producerFor: number | null;
  /** Indices of the producers feeding this consumer ([] when not a consumer). */
  consumerFor: number[];
  /** pipeline-name on a last consumer, or null. */
  pipelineName: string | null;
}

export type AtomicService = OneshotService | LongrunService;

export interface Bundle {
  name: string;
  /** Flattened atomic member indices, sorted. */
  members: number[];
  /** Direct contents as written in the source (names). */
  contents: string[];
  flags: ServiceFlags;
  source: string;
  /** True when generated from a pipeline-name. */
  pipeline: boolean;
}

export interface DbIndex {
  format: 'rc-compiled-db';
  version: number;
  /** The source directories, in argument order. */
  sources: string[];
  services: AtomicService[];
  bundles: Bundle[];
}

/** A name resolved against the db: an atomic service or a bundle of them. */
export type Resolved = { kind: 'atomic'; index: number } | { kind: 'bundle'; bundle: Bundle };

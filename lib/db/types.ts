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
}

export interface OneshotService extends AtomicBase {
  type: 'oneshot';
  /** Lexed `up` (execline lexer rules); [] = no-op. */
  up: string[];
  /** Lexed `down`; [] = no-op. */
  down: string[];
}

/** rc extension: polling readiness probes (files s6-rc ignores). */
export type ReadinessProbe =
  | { kind: 'tcp'; host: string; port: number; intervalMs: number; timeoutMs: number }
  | { kind: 'http'; url: string; intervalMs: number; timeoutMs: number }
  | { kind: 'cmd'; argv: string[]; intervalMs: number; timeoutMs: number };

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

// Source-side model: what one service definition directory says, before names are resolved.

/**
 * rc extension: a polling readiness probe as written in the source (ready-tcp / ready-http /
 * ready-cmd). Same shape as the db's ReadinessProbe, declared here because source imports only core.
 */
export type SourceProbeTarget = { kind: 'tcp'; host: string; port: number } | { kind: 'http'; url: string } | { kind: 'cmd'; argv: string[] };

/** A readiness probe, or `ready-log` (a JavaScript regular expression matched against output lines). */
export type SourceReadiness =
  | (SourceProbeTarget & { intervalMs: number; timeoutMs: number })
  | { kind: 'log'; pattern: string; intervalMs: number; timeoutMs: number };

/** rc extension: a health check (health-tcp / health-http / health-cmd and settings); same shape as the db's HealthCheck. */
export type SourceHealth = SourceProbeTarget & {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  action: 'restart' | 'none';
};

/** What a dependent waits for on an edge (`dependencies.d/NAME` contents; empty = ready). */
export type SourceCondition = 'ready' | 'started' | 'healthy';

/** A name written in a list (dependencies, contents, producer-for, ...), with where it was written. */
export interface NameRef {
  name: string;
  /** The list file, or the entry path inside a `.d/` directory. */
  file: string;
  /** 1-based line in a list file; absent for `.d/` entries. */
  line?: number;
  /** A `dependencies.d/` entry's non-default condition (started, healthy); absent = ready. */
  condition?: SourceCondition;
}

interface SourceBase {
  name: string;
  /** The definition directory as the user named it (source dir joined with the name). */
  dir: string;
  /** The source directory (argument) this definition was found in. */
  sourceDir: string;
  essential: boolean;
  /** Names of the top-level entries of the definition directory (for copying). */
  entries: string[];
}

interface AtomicSourceBase extends SourceBase {
  deps: NameRef[];
  timeoutUp: number;
  timeoutDown: number;
}

export interface SourceOneshot extends AtomicSourceBase {
  type: 'oneshot';
  up: string[];
  down: string[];
}

/**
 * A script to copy: its bytes as a latin1 string (exact byte round trip, compact in V8) when
 * small enough to keep, else null (copied from the source file).
 */
export type ScriptCopy = { bytes: string | null };

export interface SourceLongrun extends AtomicSourceBase {
  type: 'longrun';
  run: ScriptCopy;
  /** null when there is no (regular) finish file. */
  finish: ScriptCopy | null;
  notificationFd: number | null;
  lockFd: number | null;
  timeoutKill: number | null;
  timeoutFinish: number | null;
  maxDeathTally: number | null;
  /** Raw down-signal text (copied verbatim) and its parsed form. */
  downSignalText: string | null;
  downSignal: NodeJS.Signals;
  /** Which of data/, env/, template/ exist (and are directories). */
  copyDirs: string[];
  /** The producer-for name, when exactly one was given. */
  producerFor: NameRef | null;
  consumerFor: NameRef[];
  pipelineName: NameRef | null;
  readiness: SourceReadiness | null;
  /** null when the longrun has no health check. */
  health: SourceHealth | null;
  restartDelay: number | null;
}

export interface SourceBundle extends SourceBase {
  type: 'bundle';
  contents: NameRef[];
}

/**
 * A definition whose `type` could not be read or understood. It still claims its name,
 * so references to it do not add "undefined service name" noise on top of the real error.
 */
export interface SourceBroken extends SourceBase {
  type: 'broken';
}

export type SourceService = SourceOneshot | SourceLongrun | SourceBundle | SourceBroken;
export type SourceAtomic = SourceOneshot | SourceLongrun;

// What rc boot needs from its process (the port: the real `process` in the CLI, a fake in tests) and its options.
import type { Writable } from 'node:stream';
import type { Diagnostic } from '../core/diagnostics.js';
import type { Result } from '../core/result.js';
import type { ProcessLibc } from '../sys/index.js';
import type { HttpAddress } from '../http/address.js';
import type { OnFail } from './container.js';
import type { SignalEmitter } from './signals.js';

/** A terminal stream: where rc writes, and whether it is a terminal (for colour). */
export type BootStream = Writable & { readonly isTTY?: boolean };

/** The process rc boot runs as. lib/boot reaches the process only through this. */
export interface BootPort extends SignalEmitter {
  /** The environment: the services' base environment and NO_COLOR / TERM for the colour decision. */
  readonly env: NodeJS.ProcessEnv;
  readonly pid: number;
  /** The node binary (RC_BIN runs rc with it). */
  readonly execPath: string;
  /** The script node runs, process.argv[1] (RC_BIN runs rc through it); undefined when unknown. */
  readonly entryScript: string | undefined;
  readonly stdout: BootStream;
  readonly stderr: BootStream;
  /** Deliver a signal to this process's own listeners (replays what arrived before the handlers existed). */
  emit(signal: NodeJS.Signals, value: NodeJS.Signals): boolean;
  /** Stop holding early signals; returns those that arrived meanwhile, in order. */
  releaseHeldSignals(): NodeJS.Signals[];
  /** libc through koffi (loaded once per process); an error names the reason. */
  loadLibc(): Result<ProcessLibc, string>;
  /** How this terminal shows compiler diagnostics (errors and warnings), for --source. */
  formatDiagnostics(list: readonly Diagnostic[]): string;
}

/** rc boot's options, as the CLI parsed them (the live dir already resolved). */
export interface BootOptions {
  live: string;
  db?: string;
  source?: string[];
  /** An s6-svscan scan directory: one longrun per subfolder (docs/scandir.md). */
  scandir?: string;
  target?: string[];
  timeout: number;
  killGrace: number;
  /** Bound on the whole shutdown in ms (--stop-timeout); 0 or absent: none. */
  stopTimeout?: number;
  jobs: number;
  logFormat: 'plain' | 'json';
  logTimestamps?: boolean;
  quiet?: boolean;
  onFail: OnFail;
  /** The main command (everything after `--`); empty = none. */
  command: string[];
  /** How services run rc itself (RC_BIN); default: the port's node and entry script. */
  rcEntry?: string;
  /** --http: serve the HTTP API, metrics and dashboard there (docs/http.md). */
  http?: HttpAddress;
  /** --http-token-file: the bearer token changing HTTP requests need; without it they are refused (403). */
  httpTokenFile?: string;
}

/** Colour on stdout: a terminal, NO_COLOR unset, TERM not dumb. */
export const wantsColour = (port: Pick<BootPort, 'env' | 'stdout'>): boolean =>
  port.stdout.isTTY === true && !port.env['NO_COLOR'] && port.env['TERM'] !== 'dumb';

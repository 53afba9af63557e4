// Read an s6-svscan scan directory: every subfolder with a `run` file is a longrun, `log/` its logger.
//
// The files are read with the compiler's own readers (same checks, same diagnostics). A folder
// with an error is left out (one warning says so), never the whole directory.
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { err, ok, type Result } from '../core/result.js';
import { listDir, readDirNames, statPath } from '../source/fs-read.js';
import { readLongrun } from '../source/read-longrun.js';
import type { DefinitionContext } from '../source/read-service.js';
import { readTimeout } from '../source/read-values.js';
import { DiagnosticSink } from '../source/sink.js';
import type { SourceLongrun } from '../source/types.js';

/** The name of a service's logger: s6's own spelling of the logger's service directory. */
export const loggerName = (service: string): string => `${service}/log`;

/** Files of an s6-rc definition that mean nothing in a scandir (every service stands alone). */
const IGNORED_FILES = ['type', 'dependencies', 'dependencies.d', 'producer-for', 'consumer-for', 'pipeline-name', 'contents'];

export interface ScandirService {
  /** The folder name, or `NAME/log` for a logger. */
  name: string;
  /** Its folder (DIR/NAME or DIR/NAME/log): the cwd of run and finish. */
  dir: string;
  longrun: SourceLongrun;
  /** A `down` file: not started at boot (nor when a rescan finds it). */
  down: boolean;
  /** NAME/log when this service has a logger. */
  logger: string | null;
  /** NAME when this is NAME's logger. */
  loggerOf: string | null;
}

export interface ScandirRead {
  /** Sorted by name; a logger comes right after its service. */
  services: ScandirService[];
  diagnostics: Diagnostic[];
  /** Folders left out because of an error (names). */
  skipped: string[];
}

export type ScandirError = { message: string };

/** The folder's entries, or undefined when it is not a directory with a `run` (not a service). */
function serviceEntries(dir: string): Set<string> | undefined {
  const st = statPath(dir);
  if (!st.ok || !st.stats.isDirectory()) return undefined;
  const listing = readDirNames(dir);
  if (!listing.ok || !listing.names.includes('run')) return undefined;
  return new Set(listing.names);
}

/** Read one service folder with the longrun reader; problems go to `sink`. */
function readFolder(scandir: string, name: string, dir: string, entries: Set<string>, sink: DiagnosticSink): SourceLongrun {
  const used = new Set(entries);
  for (const f of IGNORED_FILES) {
    if (!used.delete(f)) continue;
    sink.warn(join(dir, f), `${f} is ignored in a scan directory: every service there stands alone`);
  }
  const ctx: DefinitionContext = { name, dir, sourceDir: scandir, entries: used, sink };
  const base = {
    name,
    dir,
    sourceDir: scandir,
    essential: entries.has('flag-essential'),
    entries: [...used].sort(),
    deps: [],
    timeoutUp: entries.has('timeout-up') ? readTimeout(join(dir, 'timeout-up'), sink) : 0,
    timeoutDown: entries.has('timeout-down') ? readTimeout(join(dir, 'timeout-down'), sink) : 0,
  };
  const longrun = readLongrun(ctx, base);
  const run = statPath(join(dir, 'run'));
  if (run.ok && run.stats.isFile() && (run.stats.mode & 0o111) === 0) {
    sink.warn(join(dir, 'run'), `${join(dir, 'run')} is not executable: it will fail to start`, { hint: `chmod +x ${join(dir, 'run')}` });
  }
  return longrun;
}

interface Found {
  service: ScandirService;
  diagnostics: Diagnostic[];
  ok: boolean;
}

function readOne(scandir: string, name: string, dir: string, entries: Set<string>): Found {
  const sink = new DiagnosticSink();
  const longrun = readFolder(scandir, name, dir, entries, sink);
  const service: ScandirService = { name, dir, longrun, down: entries.has('down'), logger: null, loggerOf: null };
  return { service, diagnostics: sink.diagnostics, ok: !sink.hasErrors };
}

const skippedWarning = (dir: string, what: string): Diagnostic => ({
  severity: 'warning',
  kind: 'source',
  file: dir,
  message: `${what} is not supervised: its folder has errors (see above)`,
  hint: 'fix the folder, then run `rc scan`',
});

/** One entry of the scan directory: the service and, when `log/` has a `run`, its logger. */
function readEntry(scandir: string, name: string, out: ScandirRead): void {
  const dir = join(scandir, name);
  const entries = serviceEntries(dir);
  if (entries === undefined) return;
  const main = readOne(scandir, name, dir, entries);
  out.diagnostics.push(...main.diagnostics);
  const logDir = join(dir, 'log');
  const logEntries = entries.has('log') ? serviceEntries(logDir) : undefined;
  const log = logEntries ? readOne(scandir, loggerName(name), logDir, logEntries) : undefined;
  if (log) out.diagnostics.push(...log.diagnostics);
  if (!main.ok) {
    out.skipped.push(name);
    out.diagnostics.push(skippedWarning(dir, log ? `${name} (and its logger)` : name));
    return;
  }
  out.services.push(main.service);
  if (!log) return;
  if (!log.ok) {
    out.skipped.push(log.service.name);
    out.diagnostics.push(skippedWarning(logDir, `the logger ${log.service.name} (${name} writes to the daemon's output instead)`));
    return;
  }
  main.service.logger = log.service.name;
  log.service.loggerOf = name;
  out.services.push(log.service);
}

/**
 * Read every service of a scan directory (non-dot subfolders and symlinks to folders, sorted).
 * Err only when the directory itself cannot be listed.
 */
export function readScandir(scandir: string): Result<ScandirRead, ScandirError> {
  const listing = listDir(scandir);
  if (!listing.ok) return err({ message: `unable to open the scan directory ${scandir}: ${listing.message}` });
  const out: ScandirRead = { services: [], diagnostics: [], skipped: [] };
  const names = listing.entries.map((e) => e.name).filter((n) => !n.startsWith('.'));
  names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) {
    if (name.includes('\n')) {
      out.diagnostics.push({ severity: 'warning', kind: 'source', file: join(scandir, name), message: `a folder name with a newline character is not supported: ignored`, hint: `the entry is named ${JSON.stringify(name)}` });
      continue;
    }
    readEntry(scandir, name, out);
  }
  return ok(out);
}

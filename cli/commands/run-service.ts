// The actions of `rc run` and `rc probe`: resolve the service, wire the process (signals, output, env) to lib/supervise.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, systemClock } from '../../lib/core/index.js';
import type { Db, AtomicService } from '../../lib/db/index.js';
import { createReapingLauncher, createSpawner, probeOnce, readyFilePath, runForeground, startRunReaping, type OutputSink, type SignalSource, type Spawner } from '../../lib/supervise/index.js';
import { sharedLibc } from '../../lib/sys/index.js';
import { openDb, unknownName } from './db-run.js';
import { write } from './print-diagnostics.js';

export interface RunCliOptions {
  compiled: string;
  readyDir?: string;
  health?: boolean;
  /** rc run: reap orphans as a child subreaper even when not PID 1. */
  subreaper?: boolean;
}

/** The signals rc run listens to: the stop requests and those a service may use (reload, rotate, ...). */
const FORWARDED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

const readyDir = (opts: RunCliOptions): string => opts.readyDir ?? process.env.RC_READY_DIR ?? join(tmpdir(), 'rc-ready');

/** The atomic service NAME with its folder, or the exit code after saying why not. */
async function resolveService(name: string, opts: RunCliOptions): Promise<{ db: Db; service: AtomicService; dir: string } | number> {
  const db = await openDb(opts.compiled);
  if (typeof db === 'number') return db;
  const r = db.resolve(name);
  if (r === undefined || r.kind === 'bundle') {
    const e = r === undefined ? unknownName(db, name) : { code: ExitCode.unknownName, message: `${name} is a bundle: rc run and rc probe take one atomic service`, hint: undefined };
    await write(process.stderr, `rc: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
    return e.code;
  }
  return { db, service: db.service(r.index), dir: db.servicedir(r.index) };
}

const signals: SignalSource = (handler) => {
  for (const s of FORWARDED) process.on(s, handler);
  return () => {
    for (const s of FORWARDED) process.removeListener(s, handler);
  };
};

/** Output of a oneshot's up: copied to ours, never closing our streams. */
const inherit: OutputSink = {
  attach: (_service, stream, source) => void source.pipe(stream === 'stdout' ? process.stdout : process.stderr, { end: false }),
};

/** rc boot's environment for services: RC_BIN tells a service how to run rc itself. */
function serviceBaseEnv(): NodeJS.ProcessEnv {
  const entry = process.argv[1];
  return { ...process.env, ...(entry ? { RC_BIN: `${process.execPath} ${entry}` } : {}) };
}

export async function runService(name: string, opts: RunCliOptions): Promise<number> {
  const found = await resolveService(name, opts);
  if (typeof found === 'number') return found;
  const report = (line: string): void => void process.stderr.write(`rc run: ${line}\n`);
  const { launcher, isOwnChild } = createReapingLauncher(process.env);
  // As PID 1 (or --subreaper), orphans the service leaves behind come to us: reap them, never our own children.
  const duties = startRunReaping({ pid: process.pid, subreaper: opts.subreaper === true, isOwnChild, loadLibc: sharedLibc, signals: process });
  for (const w of duties?.warnings ?? []) report(`warning: ${w}`);
  try {
    return await runForeground({
      service: found.service,
      dir: found.dir,
      spawner: launcher.spawner,
      clock: systemClock,
      env: serviceBaseEnv(),
      readyFile: readyFilePath(readyDir(opts), found.service.name),
      output: inherit,
      signals,
      report,
    });
  } finally {
    duties?.reaper?.reapNow();
    duties?.reaper?.stop();
  }
}

/**
 * The spawner, created on first use: rc probe runs every few seconds as a health check, and most
 * probes (the readiness file, ready-tcp, ready-http) create no process, so they skip loading it.
 */
function lazySpawner(): Spawner {
  let real: Spawner | null = null;
  const get = (): Spawner => (real ??= createSpawner({ env: process.env }));
  return { spawn: (request) => get().spawn(request), killGroup: (pgid, signal) => get().killGroup(pgid, signal) };
}

export async function probeService(name: string, opts: RunCliOptions): Promise<number> {
  const found = await resolveService(name, opts);
  if (typeof found === 'number') return found;
  const answer = await probeOnce({
    service: found.service,
    dir: found.dir,
    readyFile: readyFilePath(readyDir(opts), found.service.name),
    spawner: lazySpawner(),
    clock: systemClock,
    env: serviceBaseEnv(),
    health: opts.health === true,
  });
  if (answer.ready) {
    await write(process.stdout, `${name}: ready (${answer.why})\n`);
    return ExitCode.ok;
  }
  await write(process.stderr, `${name}: not ready: ${answer.why}\n`);
  return ExitCode.failed;
}

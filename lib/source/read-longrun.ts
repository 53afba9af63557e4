// Read the longrun-specific files of a definition: run/finish, s6-supervise settings, pipelines, extensions.
import { quoteText } from '../core/names.js';
import { join } from 'node:path';
import { parseSignal } from '../core/signals.js';
import { readText, statPath } from './fs-read.js';
import { readExtensions } from './read-extensions.js';
import { readHealth } from './read-health.js';
import { readCopiedUint, readListFile, readValue, type DefinitionContext } from './read-values.js';
import type { NameRef, ScriptCopy, SourceLongrun } from './types.js';

type AtomicBase = Pick<SourceLongrun, 'name' | 'dir' | 'sourceDir' | 'essential' | 'entries' | 'deps' | 'timeoutUp' | 'timeoutDown'>;

/** Max death tally is capped by s6-supervise. */
export const MAX_DEATH_TALLY = 4096;
export const COPIED_DIRS = ['data', 'env', 'template'] as const;

/** Scripts up to this size are kept in memory and written out directly (fewer system calls). */
const KEEP_SCRIPT_BYTES = 64 * 1024;

/** Read `run` (mandatory) or `finish` (optional) for copying; undefined when unusable (reported for run). */
function readScript(ctx: DefinitionContext, file: 'run' | 'finish'): ScriptCopy | undefined {
  const path = `${ctx.dir}/${file}`;
  const r = ctx.entries.has(file) ? readText(path, KEEP_SCRIPT_BYTES, 'latin1') : undefined;
  if (r?.ok) return { bytes: r.truncated ? null : r.text };
  const notFound = r === undefined || r.errno === 'ENOENT' || r.errno === 'ELOOP' || r.errno === 'ENOTDIR';
  const notRegular = r?.errno === 'EISDIR' || r?.errno === 'ENOTREG';
  if (file === 'finish') {
    if (r !== undefined) ctx.sink.warn(path, `${path} is not a readable regular file: ignored`);
  } else if (notFound) {
    ctx.sink.error(path, `unable to find a run script in ${path}`, { hint: 'a longrun needs a run script (it need not be executable: it is copied with mode 0755)' });
  } else if (notRegular) {
    ctx.sink.error(path, `${path} is not a regular file`);
  } else {
    ctx.sink.system(path, `unable to read ${path}: ${r.message}`);
  }
  return undefined;
}

function uintFile(ctx: DefinitionContext, file: string): number | null {
  return ctx.entries.has(file) ? readCopiedUint(join(ctx.dir, file), ctx.sink) ?? null : null;
}

function fdFile(ctx: DefinitionContext, file: string): number | null {
  const fd = uintFile(ctx, file);
  if (fd !== null && fd < 3) {
    ctx.sink.warn(join(ctx.dir, file), `${file} is ${fd}: descriptors 0, 1 and 2 are stdin, stdout and stderr`, { line: 1, hint: 'use 3 or more' });
  }
  return fd;
}

function readDownSignal(ctx: DefinitionContext): { text: string | null; signal: NodeJS.Signals } {
  if (!ctx.entries.has('down-signal')) return { text: null, signal: 'SIGTERM' };
  const path = join(ctx.dir, 'down-signal');
  const text = readValue(path, ctx.sink);
  if (text === undefined) return { text: null, signal: 'SIGTERM' };
  const signal = parseSignal(text);
  if (signal !== undefined) return { text, signal };
  ctx.sink.error(path, `invalid ${path}: ${quoteText(text)} is not a signal`, { line: 1, hint: 'use a signal name such as TERM, HUP, INT, QUIT, or a number' });
  return { text: null, signal: 'SIGTERM' };
}

function copyDirs(ctx: DefinitionContext): string[] {
  return COPIED_DIRS.filter((d) => {
    if (!ctx.entries.has(d)) return false;
    const path = join(ctx.dir, d);
    const st = statPath(path);
    if (st.ok && st.stats.isDirectory()) return true;
    if (st.ok) ctx.sink.error(path, `${path} is not a directory`);
    else ctx.sink.system(path, `unable to stat ${path}: ${st.message}`);
    return false;
  });
}

function singleName(ctx: DefinitionContext, file: string, what: string): NameRef | null {
  if (!ctx.entries.has(file)) return null;
  const path = join(ctx.dir, file);
  const refs = readListFile(path, ctx.sink);
  if (refs.length === 1) return refs[0]!;
  ctx.sink.error(path, `${path} should only contain one ${what}`, { line: refs[1]?.line, hint: `found ${refs.length} names` });
  return null;
}

function readPipeline(ctx: DefinitionContext): Pick<SourceLongrun, 'producerFor' | 'consumerFor' | 'pipelineName'> {
  const producerFor = singleName(ctx, 'producer-for', 'service name');
  const consumerFor = ctx.entries.has('consumer-for') ? readListFile(join(ctx.dir, 'consumer-for'), ctx.sink) : [];
  if (ctx.entries.has('consumer-for') && consumerFor.length === 0) {
    ctx.sink.warn(join(ctx.dir, 'consumer-for'), 'consumer-for names no producer: ignored');
  }
  const pipelineName = singleName(ctx, 'pipeline-name', 'name');
  return { producerFor, consumerFor, pipelineName };
}

export function readLongrun(ctx: DefinitionContext, base: AtomicBase): SourceLongrun {
  const run = readScript(ctx, 'run') ?? { bytes: null };
  const notificationFd = fdFile(ctx, 'notification-fd');
  const lockFd = fdFile(ctx, 'lock-fd');
  if (notificationFd !== null && notificationFd === lockFd) {
    ctx.sink.error(join(ctx.dir, 'lock-fd'), `longrun ${ctx.name} has the same value for notification-fd and lock-fd`, { line: 1 });
  }
  let maxDeathTally = uintFile(ctx, 'max-death-tally');
  if (maxDeathTally !== null && maxDeathTally > MAX_DEATH_TALLY) {
    ctx.sink.warn(join(ctx.dir, 'max-death-tally'), `max-death-tally ${maxDeathTally} is above ${MAX_DEATH_TALLY}: using ${MAX_DEATH_TALLY}`, { line: 1 });
    maxDeathTally = MAX_DEATH_TALLY;
  }
  const down = readDownSignal(ctx);
  const pipeline = readPipeline(ctx);
  const ext = readExtensions(ctx);
  // Spelled out rather than spread: object spread is measurably slow at 100,000 services.
  return {
    type: 'longrun',
    name: base.name,
    dir: base.dir,
    sourceDir: base.sourceDir,
    essential: base.essential,
    entries: base.entries,
    deps: base.deps,
    timeoutUp: base.timeoutUp,
    timeoutDown: base.timeoutDown,
    run,
    finish: readScript(ctx, 'finish') ?? null,
    notificationFd,
    lockFd,
    timeoutKill: uintFile(ctx, 'timeout-kill'),
    timeoutFinish: uintFile(ctx, 'timeout-finish'),
    maxDeathTally,
    downSignalText: down.text,
    downSignal: down.signal,
    copyDirs: copyDirs(ctx),
    producerFor: pipeline.producerFor,
    consumerFor: pipeline.consumerFor,
    pipelineName: pipeline.pipelineName,
    readiness: ext.readiness,
    health: readHealth(ctx),
    restartDelay: ext.restartDelay,
  };
}

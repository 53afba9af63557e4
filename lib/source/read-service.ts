// Read one service definition directory: its type, then the files that type uses.
import { join } from 'node:path';
import { closestName } from '../core/names.js';
import { readDirNames, readText } from './fs-read.js';
import { checkEntryNames } from './known-files.js';
import { invisibleCharHint } from './list-file.js';
import { readConditions } from './read-conditions.js';
import { readLongrun } from './read-longrun.js';
import { lexFile, readNameList, readTimeout, type DefinitionContext } from './read-values.js';
import type { DiagnosticSink } from './sink.js';
import type { SourceBroken, SourceBundle, SourceOneshot, SourceService } from './types.js';

export const SERVICE_TYPES = ['oneshot', 'longrun', 'bundle'] as const;
/** How much of a bad `type` file a message shows. */
const TYPE_SHOWN_BYTES = 40;
type Kind = (typeof SERVICE_TYPES)[number];

/** Defined next to the value readers (read-longrun and read-extensions need it without importing this file). */
export type { DefinitionContext };

/** `type`: at most 8 bytes, one trailing newline stripped, then exactly oneshot|longrun|bundle. */
function readType(ctx: DefinitionContext): Kind | undefined {
  const path = `${ctx.dir}/type`;
  if (!ctx.entries.has('type')) {
    ctx.sink.system(path, `unable to read ${path}: ENOENT: no such file or directory`, { hint: 'every service needs a type file: oneshot, longrun or bundle' });
    return undefined;
  }
  // s6-rc-compile reads 8 bytes; a little more is read so that the message can show what the file holds.
  const r = readText(path, TYPE_SHOWN_BYTES, 'latin1');
  if (!r.ok) {
    ctx.sink.system(path, `unable to read ${path}: ${r.message}`);
    return undefined;
  }
  const head = r.text.slice(0, 8);
  const text = head.endsWith('\n') ? head.slice(0, -1) : head;
  if ((SERVICE_TYPES as readonly string[]).includes(text)) return text as Kind;
  const whole = Buffer.from(r.text, 'latin1').toString('utf8');
  const shown = whole.endsWith('\n') && !r.truncated ? whole.slice(0, -1) : whole;
  const found = JSON.stringify(r.truncated ? `${shown}...` : shown);
  const guess = closestName(shown.trim(), SERVICE_TYPES);
  ctx.sink.error(path, `invalid ${path}: must be oneshot, longrun, or bundle`, {
    line: 1,
    hint: invisibleCharHint(shown) ?? `found ${found}; ${guess !== undefined ? `did you mean ${guess}? ` : ''}accepted values: oneshot, longrun, bundle`,
  });
  return undefined;
}

function readOneshot(ctx: DefinitionContext, base: Omit<SourceOneshot, 'type' | 'up' | 'down'>): SourceOneshot {
  const upPath = `${ctx.dir}/up`;
  let up: string[] = [];
  if (ctx.entries.has('up')) up = lexFile(upPath, ctx.sink) ?? [];
  else ctx.sink.system(upPath, `unable to open ${upPath}: ENOENT: no such file or directory`, { hint: 'a oneshot needs an up file (an empty one is a no-op)' });
  const down = ctx.entries.has('down') ? lexFile(join(ctx.dir, 'down'), ctx.sink) ?? [] : [];
  const { name, dir, sourceDir, essential, entries, deps, timeoutUp, timeoutDown } = base;
  return { type: 'oneshot', name, dir, sourceDir, essential, entries, deps, timeoutUp, timeoutDown, up, down };
}

function readBundle(ctx: DefinitionContext, essential: boolean, entries: string[]): SourceBundle {
  const contents = readNameList({ dir: ctx.dir, sourceDir: ctx.sourceDir, base: 'contents', entries: ctx.entries, required: true }, ctx.sink);
  return { type: 'bundle', name: ctx.name, dir: ctx.dir, sourceDir: ctx.sourceDir, essential, entries, contents };
}

/** Read the definition `dir` = join(sourceDir, name). Never throws; problems go to the sink. */
export function readService(sourceDir: string, name: string, sink: DiagnosticSink, dir = join(sourceDir, name)): SourceService {
  const listing = readDirNames(dir);
  const entryList = listing.ok ? listing.names.sort() : [];
  const broken: SourceBroken = { type: 'broken', name, dir, sourceDir, essential: false, entries: entryList };
  if (!listing.ok) {
    sink.system(dir, `unable to open ${dir}: ${listing.message}`);
    return broken;
  }
  const ctx: DefinitionContext = { name, dir, sourceDir, entries: new Set(entryList), sink };
  const type = readType(ctx);
  if (type === undefined) return broken;
  const essential = ctx.entries.has('flag-essential');
  if (type === 'bundle') {
    checkEntryNames(ctx, type);
    return readBundle(ctx, essential, entryList);
  }
  const deps = readNameList({ dir, sourceDir, base: 'dependencies', entries: ctx.entries }, sink);
  if (ctx.entries.has('dependencies.d')) readConditions(deps, sink);
  const base = {
    name,
    dir,
    sourceDir,
    essential,
    entries: entryList,
    deps,
    timeoutUp: ctx.entries.has('timeout-up') ? readTimeout(join(dir, 'timeout-up'), sink) : 0,
    timeoutDown: ctx.entries.has('timeout-down') ? readTimeout(join(dir, 'timeout-down'), sink) : 0,
  };
  if (type === 'longrun') {
    checkEntryNames(ctx, type);
    return readLongrun(ctx, base);
  }
  const oneshot = readOneshot(ctx, base);
  checkEntryNames(ctx, type, oneshot.up);
  return oneshot;
}

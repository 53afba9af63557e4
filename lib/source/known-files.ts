// The file names of a definition directory, per type, and the warnings for misspelled or misplaced ones.
// s6-rc-compile ignores every file it does not read; rc does too, but says so when a name looks like
// a typo of a known one, or when a known file sits in a type that ignores it.
import { closestName } from '../core/names.js';
import type { DefinitionContext } from './read-values.js';

type Kind = 'oneshot' | 'longrun' | 'bundle';

const COMMON = ['type', 'flag-essential'];
const ATOMIC = ['dependencies', 'dependencies.d', 'timeout-up', 'timeout-down'];
const ONESHOT = ['up', 'down'];
/** s6-rc's longrun files, plus s6 service-directory names s6-rc knows and ignores (log/, nosetsid). */
const LONGRUN_S6 = [
  'run', 'finish', 'notification-fd', 'lock-fd', 'timeout-kill', 'timeout-finish', 'max-death-tally', 'down-signal',
  'data', 'env', 'template', 'producer-for', 'consumer-for', 'pipeline-name', 'log', 'nosetsid',
];
/** rc's extensions (longruns). */
const HEALTH = ['health-tcp', 'health-http', 'health-cmd', 'health-interval', 'health-timeout', 'health-retries', 'health-start-period', 'health-action'];
const LONGRUN_RC = ['ready-tcp', 'ready-http', 'ready-cmd', 'ready-log', 'ready-interval', 'ready-timeout', 'restart-delay', ...HEALTH];
const BUNDLE = ['contents', 'contents.d'];

export const KNOWN_FILES: Readonly<Record<Kind, ReadonlySet<string>>> = {
  oneshot: new Set([...COMMON, ...ATOMIC, ...ONESHOT]),
  longrun: new Set([...COMMON, ...ATOMIC, ...LONGRUN_S6, ...LONGRUN_RC]),
  bundle: new Set([...COMMON, ...BUNDLE]),
};
const ALL_KNOWN = [...new Set([...COMMON, ...ATOMIC, ...ONESHOT, ...LONGRUN_S6, ...LONGRUN_RC, ...BUNDLE])];

const READINESS = new Set(['notification-fd', 'ready-tcp', 'ready-http', 'ready-cmd', 'ready-log', 'ready-interval', 'ready-timeout']);

/** Why a known file is ignored in a definition of type `kind` (undefined: it is not ignored). */
function misplaced(file: string, kind: Kind, upArgv: readonly string[]): { message: string; hint: string } | undefined {
  if (KNOWN_FILES[kind].has(file)) return undefined;
  if (kind === 'oneshot') {
    if (file === 'run') {
      // s6-overlay's convention: a oneshot's up calls a run script kept beside it. Silent then.
      if (upArgv.some((w) => /(^|\/)run$/.test(w.trim()))) return undefined;
      return { message: 'run is ignored in a oneshot: its up file is what runs', hint: 'make it a longrun (type), or call the script from up' };
    }
    if (READINESS.has(file)) {
      return { message: `${file} is ignored in a oneshot: readiness applies to longruns`, hint: 'a oneshot is up as soon as its up command exits 0' };
    }
    if (HEALTH.includes(file)) {
      return { message: `${file} is ignored in a oneshot: health checks apply to longruns`, hint: 'a oneshot runs once; check what it set up from a longrun that depends on it' };
    }
    if (KNOWN_FILES.longrun.has(file)) return { message: `${file} is ignored in a oneshot: it applies to longruns`, hint: 'remove it, or make the service a longrun' };
    if (BUNDLE.includes(file)) return { message: `${file} is ignored in a oneshot: only bundles have contents`, hint: 'a oneshot names what it needs in dependencies.d/' };
  }
  if (kind === 'longrun') {
    if (file === 'up') return { message: 'up is ignored in a longrun: its run script is what runs', hint: 'did you mean run, or type oneshot?' };
    if (file === 'down') return { message: 'down is ignored in a longrun: it belongs to oneshots', hint: 'a longrun is stopped with its down-signal; cleanup goes in finish' };
    if (BUNDLE.includes(file)) return { message: `${file} is ignored in a longrun: only bundles have contents`, hint: 'a longrun names what it needs in dependencies.d/' };
  }
  if (kind === 'bundle') {
    if (ATOMIC.includes(file)) {
      return { message: `${file} is ignored in a bundle: bundles have no dependencies or timeouts of their own`, hint: 'put them on the member services' };
    }
    return { message: `${file} is ignored in a bundle: a bundle only has contents`, hint: 'did you mean a oneshot or a longrun (type)?' };
  }
  return undefined;
}

/**
 * Warn about the entries of a definition that s6-rc and rc ignore and that look like mistakes:
 * a known file in a type that ignores it, or a name one or two typos away from a known one.
 * Other unknown names (helper scripts, READMEs) stay silent, and dot entries are skipped.
 */
export function checkEntryNames(ctx: DefinitionContext, kind: Kind, upArgv: readonly string[] = []): void {
  for (const file of ctx.entries) {
    if (file.startsWith('.') || KNOWN_FILES[kind].has(file)) continue;
    const path = `${ctx.dir}/${file}`;
    if (ALL_KNOWN.includes(file)) {
      const wrongType = misplaced(file, kind, upArgv);
      if (wrongType !== undefined) ctx.sink.warn(path, wrongType.message, { hint: wrongType.hint });
      continue;
    }
    const guess = typoOf(file, kind);
    if (guess !== undefined) ctx.sink.warn(path, `unknown file ${file} in ${kind} ${ctx.name}: ignored`, { hint: `did you mean ${guess}?` });
  }
}

/** The known name `file` is most likely a misspelling of: a name of this type first, then any known name. */
function typoOf(file: string, kind: Kind): string | undefined {
  const folded = file.toLowerCase().replace(/_/g, '-');
  const own = closestName(folded, KNOWN_FILES[kind]) ?? closestName(folded, ALL_KNOWN);
  if (own === undefined) return undefined;
  // Short names (up, run, env, log, ...) only match at one edit, so helper files are not taken for typos.
  if (own.length <= 4 && folded !== own && editOne(folded, own) === false) return undefined;
  return own;
}

/** True when a and b differ by exactly one insertion, deletion, substitution or adjacent swap. */
function editOne(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

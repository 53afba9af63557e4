// Scan source directories (argument order, sorted entries, dot entries skipped) into service definitions.
import { join, normalize } from 'node:path';
import { hasReservedPrefix, quoteText } from '../core/names.js';
import { listDir, statPath } from './fs-read.js';
import { readService } from './read-service.js';
import type { DiagnosticSink } from './sink.js';
import type { SourceService } from './types.js';

export interface SourceTree {
  /** Every definition that claimed a name, in discovery order (later duplicates are left out). */
  services: SourceService[];
  byName: Map<string, SourceService>;
}

/** strcmp order on the UTF-8 bytes, as s6-rc-compile sorts directory entries. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The names of the subdirectories of one source that define services. */
function scanSource(src: string, sink: DiagnosticSink): { names: string[]; entries: number; rejected: number } | undefined {
  const st = statPath(src);
  if (!st.ok) {
    sink.system(src, `unable to open ${src}: ${st.message}`);
    return undefined;
  }
  const listing = listDir(src);
  if (!listing.ok) {
    sink.system(src, `unable to open ${src}: ${listing.message}`);
    return undefined;
  }
  const names: string[] = [];
  let rejected = 0;
  const entries = listing.entries.filter((e) => !e.name.startsWith('.'));
  // eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
  const ascii = entries.every((e) => /^[\x00-\x7f]*$/.test(e.name));
  entries.sort(ascii ? (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : (a, b) => byteOrder(a.name, b.name));
  for (const e of entries) {
    if (e.isDirectory() && !e.name.includes('\n') && !hasReservedPrefix(e.name)) {
      names.push(e.name); // the common case, without building a path nobody reads
      continue;
    }
    const path = join(src, e.name);
    if (e.name.includes('\n')) {
      sink.error(path, `subdirectory of ${src} contains a newline character`, { hint: `the entry is named ${quoteText(e.name)}` });
      rejected++;
      continue;
    }
    if (hasReservedPrefix(e.name)) {
      sink.error(path, `in ${src}: identifier ${e.name} starts with reserved prefix`, { hint: 's6rc- and s6-rc- are reserved for internal services: rename it' });
      rejected++;
      continue;
    }
    if (e.isDirectory()) names.push(e.name);
    else if (e.isSymbolicLink()) {
      const target = statPath(path);
      if (!target.ok) {
        sink.system(path, `unable to stat ${path}: ${target.message}`);
        rejected++;
      } else if (target.stats.isDirectory()) names.push(e.name);
    }
  }
  return { names, entries: entries.length, rejected };
}

/**
 * What join(src, name) puts before a directory entry's name (never `.`, `..` or containing `/`),
 * so that the path of every definition is one concatenation instead of a path.join.
 */
export function entryPrefix(src: string): string {
  const p = normalize(src);
  if (p === '.' || p === './') return '';
  return p.endsWith('/') ? p : `${p}/`;
}

/** Read every source directory; problems go to the sink, never thrown. */
export function readSources(sources: readonly string[], sink: DiagnosticSink): SourceTree {
  const services: SourceService[] = [];
  const byName = new Map<string, SourceService>();
  for (const src of sources) {
    const scanned = scanSource(src, sink);
    if (scanned === undefined) continue;
    const { names } = scanned;
    if (names.length === 0 && scanned.entries === 0) sink.warn(src, `source directory ${src} is empty: it defines no service`);
    else if (names.length === 0 && scanned.rejected === 0) {
      sink.warn(src, `source directory ${src} defines no service: it holds no subdirectory`, { hint: 'each service is a subdirectory holding a type file' });
    }
    const prefix = entryPrefix(src);
    for (const name of names) {
      const svc = readService(src, name, sink, prefix + name);
      const first = byName.get(name);
      if (first !== undefined) {
        const type = first.type === 'broken' ? 'unknown' : first.type;
        sink.error(svc.dir, `duplicate service definition: ${name} defined in ${src} is already defined and has type ${type}`, {
          related: [{ file: first.dir, message: 'first defined here' }],
        });
        continue;
      }
      byName.set(name, svc);
      services.push(svc);
    }
  }
  return { services, byName };
}

// diffDbs: the old db against the new one, service by service: removed, changed (with the fields that differ), unchanged, added; renames honoured.
//
// Generic on purpose: a service's definition is compared field by field (every field of the
// compiled service but its position and provenance), so a field added to the db format later
// (health checks, per-edge conditions) counts without a change here. Fields that hold indices
// are compared by name (indices move between dbs). Bundle membership is not part of a service.
import type { Db } from './db.js';
import type { AtomicService } from './types.js';
import { changedFiles, type FileDigests } from './content-hash.js';

/** Fields that say where a service is or came from, not how it runs. */
const IGNORED = new Set(['index', 'name', 'rdeps', 'source', 'flags']);
/** Fields that hold one index or a list of indices into the same db. */
const SINGLE_INDEX = new Set(['producerFor']);
const INDEX_LISTS = new Set(['deps', 'consumerFor']);
/** Fields that are objects keyed by an index (per-edge conditions, keyed by the dependency). */
const INDEX_KEYED = new Set(['conditions']);

/** What a conversion file says of one old service (s6-rc-update -f). */
export interface Conversion {
  /** The old service's name in the new db (itself when not renamed). */
  to: string;
  /** Restart it even when nothing changed. */
  restart: boolean;
}

export interface UnchangedService {
  /** Its name in the old db. */
  from: string;
  /** Its name in the new db. */
  name: string;
  oldIndex: number;
  index: number;
}

export interface ChangedService extends UnchangedService {
  /** What differs: field names of the db (`deps`, `timeoutUp`, `type`, ...), `files: PATH` for file contents, `restart` when the conversion file asks. */
  fields: string[];
}

export interface DbDiff {
  removed: { name: string; oldIndex: number }[];
  changed: ChangedService[];
  unchanged: UnchangedService[];
  added: { name: string; index: number }[];
}

export interface DiffInput {
  old: Db;
  next: Db;
  /** File digests of each db's service directories, by index (serviceDigests). */
  oldFiles: readonly FileDigests[];
  nextFiles: readonly FileDigests[];
  /** Conversions by old name. */
  conversions?: ReadonlyMap<string, Conversion>;
}

/** JSON with sorted object keys: two equal definitions give equal text whatever their key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** A field's value made comparable: indices replaced by names (`nameOf`), objects as stable JSON; primitives as they are. */
function comparable(key: string, value: unknown, nameOf: (i: number) => string): unknown {
  if (SINGLE_INDEX.has(key)) return value === null ? null : nameOf(value as number);
  if (INDEX_LISTS.has(key)) return stable((value as number[]).map(nameOf).sort());
  if (INDEX_KEYED.has(key) && value !== null && typeof value === 'object') {
    return stable(Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [nameOf(Number(k)), v])));
  }
  return value !== null && typeof value === 'object' ? stable(value) : value;
}

/** Two index lists that name the same services in the same order. */
function sameNames(a: readonly number[], b: readonly number[], nameA: (i: number) => string, nameB: (i: number) => string): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (nameA(a[k]!) !== nameB(b[k]!)) return false;
  return true;
}

/** The fields of two definitions whose values differ (or exist on one side only), sorted; `rename` maps the old db's names to the new ones. */
function changedFields(old: Db, a: AtomicService, next: Db, b: AtomicService, rename: (name: string) => string): string[] {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const oldName = (i: number): string => rename(old.service(i).name);
  const newName = (i: number): string => next.service(i).name;
  const out: string[] = [];
  const differs = (key: string): boolean => {
    const x = ra[key];
    const y = rb[key];
    if (x === y) return false;
    if (x === undefined || y === undefined) return true;
    // Index lists in the same order name the same services: the common case, without sorting.
    if (INDEX_LISTS.has(key) && sameNames(x as number[], y as number[], oldName, newName)) return false;
    return comparable(key, x, oldName) !== comparable(key, y, newName);
  };
  for (const key in ra) if (!IGNORED.has(key) && differs(key)) out.push(key);
  for (const key in rb) if (!(key in ra) && !IGNORED.has(key)) out.push(key);
  return out.sort();
}

/** Compare two dbs. Pure (the file digests are read beforehand). */
export function diffDbs(input: DiffInput): DbDiff {
  const { old, next, oldFiles, nextFiles } = input;
  const conversions = input.conversions ?? new Map<string, Conversion>();
  const rename = (name: string): string => conversions.get(name)?.to ?? name;
  const out: DbDiff = { removed: [], changed: [], unchanged: [], added: [] };
  const claimed = new Set<number>();
  for (const s of old.index.services) {
    const conv = conversions.get(s.name);
    const to = conv?.to ?? s.name;
    const r = next.resolve(to);
    if (r?.kind !== 'atomic') {
      out.removed.push({ name: s.name, oldIndex: s.index });
      continue;
    }
    claimed.add(r.index);
    const n = next.service(r.index);
    const fields = changedFields(old, s, next, n, rename);
    for (const f of changedFiles(oldFiles[s.index] ?? new Map(), nextFiles[r.index] ?? new Map())) fields.push(`files: ${f}`);
    if (conv?.restart) fields.push('restart');
    const kept = { from: s.name, name: to, oldIndex: s.index, index: r.index };
    if (fields.length > 0) out.changed.push({ ...kept, fields });
    else out.unchanged.push(kept);
  }
  for (const s of next.index.services) if (!claimed.has(s.index)) out.added.push({ name: s.name, index: s.index });
  return out;
}

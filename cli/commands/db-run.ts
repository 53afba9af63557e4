// The answers of `rc db` subcommands: load the db, resolve names (exit 3 with a hint), print text or JSON.
import { ExitCode } from '../../lib/core/index.js';
import { dependencies, directConditions, listNames, pipelineOf, readDb, type AtomicService, type Db, type ListKind } from '../../lib/db/index.js';
import { write } from './print-diagnostics.js';

export interface DbCliOptions {
  compiled: string;
  json: boolean;
  reverse?: boolean;
  all?: boolean;
  down?: boolean;
}

/** A failed query: message (and hint) for stderr, and the exit code. */
class QueryError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

/** Open the db, or the exit code after printing why not (4 invalid, 111 system). */
export async function openDb(compiled: string): Promise<Db | number> {
  const r = readDb(compiled);
  if (r.ok) return r.value;
  await write(process.stderr, `rc: ${r.error.message}\n`);
  return r.error.code === 'invalid-db' ? ExitCode.invalidDb : ExitCode.system;
}

export function unknownName(db: Db, name: string): QueryError {
  const close = db.closest(name);
  return new QueryError(ExitCode.unknownName, `unknown service name ${name}`, close !== undefined ? `did you mean \`${close}\`?` : undefined);
}

function atomicsOf(db: Db, names: string[]): number[] {
  return names.flatMap((n) => {
    const r = db.resolveAtomic(n);
    if (r === undefined) throw unknownName(db, n);
    return r;
  });
}

function oneAtomic(db: Db, name: string): AtomicService {
  const r = db.resolve(name);
  if (r === undefined) throw unknownName(db, name);
  if (r.kind === 'bundle') throw new QueryError(ExitCode.unknownName, `${name} is a bundle, not an atomic service`);
  return db.service(r.index);
}

const shellQuote = (w: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);
const lines = (names: string[]): string => names.map((n) => `${n}\n`).join('');
const typeOfName = (db: Db, name: string): string => {
  const r = db.resolve(name);
  if (r === undefined) throw unknownName(db, name);
  return r.kind === 'bundle' ? 'bundle' : db.service(r.index).type;
};

type Answer = { text: string; json: unknown };

function pipeline(db: Db, name: string): Answer {
  const r = db.resolve(name);
  if (r === undefined) throw unknownName(db, name);
  const start = r.kind === 'atomic' ? r.index : r.bundle.pipeline ? r.bundle.members[0] : undefined;
  const info = start === undefined ? undefined : pipelineOf(db, start);
  if (info === undefined) throw new QueryError(ExitCode.failed, `${name} is not part of a pipeline`);
  const n = (i: number) => db.service(i).name;
  const links = info.links.map(([p, c]) => ({ producer: n(p), consumer: n(c) }));
  const text = (info.name !== null ? `pipeline ${info.name}\n` : '') + links.map((l) => `${l.producer} -> ${l.consumer}\n`).join('');
  return { text, json: { name: info.name, last: n(info.last), members: info.members.map(n), links } };
}

/**
 * `rc db deps`: one name a line, followed by the edge's condition when it is not the default
 * (`db (started)`); JSON: `{name, condition}` per service, condition null when reached only
 * transitively (--all).
 */
function deps(db: Db, given: number[], opts: DbCliOptions): Answer {
  const conds = directConditions(db, given, opts.reverse === true);
  const found = dependencies(db, given, { reverse: opts.reverse, all: opts.all });
  const text = found.map((i) => {
    const c = conds.get(i);
    return `${db.service(i).name}${c !== undefined && c !== 'ready' ? ` (${c})` : ''}\n`;
  });
  return { text: text.join(''), json: found.map((i) => ({ name: db.service(i).name, condition: conds.get(i) ?? null })) };
}

function answer(db: Db, which: string, args: string[], opts: DbCliOptions): Answer {
  const name = args[0]!;
  const n = (i: number) => db.service(i).name;
  switch (which) {
    case 'list': {
      const names = listNames(db, name as ListKind);
      return { text: lines(names), json: names };
    }
    case 'type': {
      const type = typeOfName(db, name);
      return { text: `${type}\n`, json: { name, type } };
    }
    case 'deps':
      return deps(db, atomicsOf(db, args), opts);
    case 'contents': {
      const b = db.bundle(name);
      if (b === undefined) throw db.resolve(name) ? new QueryError(ExitCode.unknownName, `${name} is a ${typeOfName(db, name)}, not a bundle`) : unknownName(db, name);
      const members = b.members.map(n);
      return { text: lines(members), json: { name, members, contents: b.contents, pipeline: b.pipeline } };
    }
    case 'pipeline':
      return pipeline(db, name);
    case 'script': {
      const s = oneAtomic(db, name);
      if (s.type !== 'oneshot') throw new QueryError(ExitCode.unknownName, `${name} is a longrun, not a oneshot`);
      const argv = opts.down ? s.down : s.up;
      return { text: argv.length > 0 ? `${argv.map(shellQuote).join(' ')}\n` : '', json: argv };
    }
    case 'flags': {
      const r = db.resolve(name);
      if (r === undefined) throw unknownName(db, name);
      const flags = r.kind === 'bundle' ? r.bundle.flags : db.service(r.index).flags;
      return { text: `essential: ${flags.essential ? 'yes' : 'no'}\n`, json: { name, ...flags } };
    }
    case 'timeout': {
      const s = oneAtomic(db, name);
      const ms = opts.down ? s.timeoutDown : s.timeoutUp;
      return { text: `${ms}\n`, json: { name, direction: opts.down ? 'down' : 'up', ms } };
    }
    default:
      throw new Error(`unknown db subcommand ${which}`);
  }
}

export async function runDbCommand(which: string, args: string[], opts: DbCliOptions): Promise<number> {
  const db = await openDb(opts.compiled);
  if (typeof db === 'number') return db;
  try {
    const a = answer(db, which, args, opts);
    await write(process.stdout, opts.json ? `${JSON.stringify(a.json, null, 2)}\n` : a.text);
    return ExitCode.ok;
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    await write(process.stderr, `rc: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
    return e.code;
  }
}

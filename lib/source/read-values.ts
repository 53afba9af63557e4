// Readers for the small value files of a definition: name lists, timeouts, copied unsigned integers.
import { join } from 'node:path';
import { hasReservedPrefix, invalidNameChar, quoteText } from '../core/names.js';
import { readDirNames, readText } from './fs-read.js';
import { lexExecline } from './lexer.js';
import { dedupe, invisibleCharHint, parseList } from './list-file.js';
import type { DiagnosticSink } from './sink.js';
import type { NameRef } from './types.js';

/** What every reader of one definition gets. */
export interface DefinitionContext {
  name: string;
  dir: string;
  sourceDir: string;
  entries: ReadonlySet<string>;
  sink: DiagnosticSink;
}

const UINT32_MAX = 0xffffffff;
const show = (s: string): string => quoteText(s);
const tooLargeHint = (bytes: number): string => `the file holds ${bytes} bytes; list files and scripts are limited to 16 MiB`;

/** Read a whole text file, reporting failures as system errors (exit 111, as s6-rc-compile). */
export function readWhole(path: string, sink: DiagnosticSink, verb = 'read'): string | undefined {
  const r = readText(path);
  if (r.ok) return r.text;
  if (r.tooLarge !== undefined) sink.error(path, `${path} is too large`, { hint: tooLargeHint(r.tooLarge) });
  else sink.system(path, `unable to ${verb} ${path}: ${r.message}`);
  return undefined;
}

/** Drop names with a NUL byte, a newline or another control character, each reported as an invalid name. */
function rejectInvalid(refs: NameRef[], sink: DiagnosticSink): NameRef[] {
  return refs.filter((r) => {
    const bad = invalidNameChar(r.name);
    if (bad === undefined) return true;
    sink.error(r.file, `invalid name ${show(r.name)}: it contains ${bad}`, { line: r.line, hint: 'a service name is printable text without control characters' });
    return false;
  });
}

/** Check names written in lists: reserved prefixes. Returns the valid ones. */
function checkNames(refs: NameRef[], sourceDir: string, sink: DiagnosticSink): NameRef[] {
  return refs.filter((r) => {
    if (hasReservedPrefix(r.name)) {
      sink.error(r.file, `in ${sourceDir}: identifier ${r.name} starts with reserved prefix`, {
        line: r.line,
        hint: 's6rc- and s6-rc- are reserved for internal services; rc runs oneshots and holds pipes itself',
      });
      return false;
    }
    return true;
  });
}

export interface ListSpec {
  dir: string;
  sourceDir: string;
  /** `dependencies` or `contents`: the `.d/` directory form wins over the file. */
  base: string;
  entries: ReadonlySet<string>;
  /** When true, having neither form is a system error (bundle contents). */
  required?: boolean;
}

/** Read `BASE.d/` (entry names) or, only if it does not exist, the `BASE` list file. */
export function readNameList(spec: ListSpec, sink: DiagnosticSink): NameRef[] {
  const { dir, base, entries } = spec;
  let refs: NameRef[];
  if (entries.has(`${base}.d`)) {
    const path = `${dir}/${base}.d`;
    const listing = readDirNames(path);
    if (!listing.ok) {
      sink.system(path, `unable to open ${path}: ${listing.message}`);
      return [];
    }
    refs = rejectInvalid(
      listing.names
        .filter((n) => !n.startsWith('.'))
        .sort()
        .map((name) => ({ name, file: `${path}/${name}` })),
      sink,
    );
  } else if (entries.has(base)) {
    refs = readListFile(`${dir}/${base}`, sink);
  } else {
    if (spec.required) sink.system(join(dir, base), `unable to open ${join(dir, base)}: no ${base}.d/ directory and no ${base} file`);
    return [];
  }
  const unique = dedupe(refs, (r) => sink.info(r.file, `duplicate name ${r.name} ignored`, { line: r.line }));
  return checkNames(unique, spec.sourceDir, sink);
}

/** A single list file with line numbers (producer-for, consumer-for, pipeline-name, dependencies, contents). */
export function readListFile(path: string, sink: DiagnosticSink): NameRef[] {
  const text = readWhole(path, sink, 'open');
  if (text === undefined) return [];
  return rejectInvalid(
    parseList(text).map(({ name, line }) => ({ name, file: path, line })),
    sink,
  );
}

/** `timeout-up` / `timeout-down`: a decimal (trailing newlines stripped); invalid → source error. */
export function readTimeout(path: string, sink: DiagnosticSink): number {
  const r = readText(path, 64);
  if (!r.ok) {
    sink.system(path, `unable to read ${path}: ${r.message}`);
    return 0;
  }
  const text = r.text.replace(/\n+$/, '');
  if (!r.truncated && /^\d+$/.test(text) && Number(text) <= UINT32_MAX) return Number(text);
  const hint = invisibleCharHint(text) ?? `expected milliseconds as a decimal number (0 = no limit), found ${show(text)}`;
  sink.error(path, `invalid ${path}`, { line: 1, hint });
  return 0;
}

/**
 * notification-fd, lock-fd, timeout-kill, timeout-finish, max-death-tally: the text up to the
 * first newline must be an unsigned decimal. Invalid → exit 111 "Invalid argument", as s6-rc-compile.
 */
export function readCopiedUint(path: string, sink: DiagnosticSink): number | undefined {
  const r = readText(path, 4096);
  if (!r.ok) {
    sink.system(path, `unable to read ${path}: ${r.message}`);
    return undefined;
  }
  const nl = r.text.indexOf('\n');
  const first = nl < 0 ? r.text : r.text.slice(0, nl);
  if (/^\d+$/.test(first) && Number(first) <= UINT32_MAX && (nl >= 0 || !r.truncated)) return Number(first);
  sink.system(path, `unable to read ${path}: Invalid argument`, {
    line: 1,
    hint: invisibleCharHint(first) ?? `expected an unsigned decimal integer, found ${show(first)}`,
  });
  return undefined;
}

/** A single-line value (down-signal, ready-tcp, ...): the whole file, trailing blanks and newlines trimmed. */
export function readValue(path: string, sink: DiagnosticSink): string | undefined {
  const r = readText(path, 4096);
  if (!r.ok) {
    sink.system(path, `unable to read ${path}: ${r.message}`);
    return undefined;
  }
  return r.text.replace(/\s+$/, '');
}

/** Lex an `up`/`down`/`ready-cmd` file; errors are s6-rc-compile's "syntax error in FILE: ...". */
export function lexFile(path: string, sink: DiagnosticSink): string[] | undefined {
  const text = readWhole(path, sink);
  if (text === undefined) return undefined;
  const r = lexExecline(text);
  if (r.ok) return r.value;
  sink.error(path, `syntax error in ${path}: ${r.error.message}`, { line: r.error.line });
  return undefined;
}

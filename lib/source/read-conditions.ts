// Per-edge conditions (rc extension): the one word a `dependencies.d/NAME` file may hold (ready | started | healthy).
import { statSync } from 'node:fs';
import { closestName, quoteText } from '../core/names.js';
import { readText } from './fs-read.js';
import { invisibleCharHint } from './list-file.js';
import type { DiagnosticSink } from './sink.js';
import type { NameRef, SourceCondition } from './types.js';

export const CONDITION_WORDS: readonly SourceCondition[] = ['ready', 'started', 'healthy'];
/** A condition file is one word: more than this is not read. */
const MAX_CONDITION_BYTES = 256;

const ACCEPTED = 'accepted values: ready (the default: up, and ready when it has readiness), started (its process spawned), healthy (its first health check passed); an empty file means ready';

/**
 * Parse a condition file's text: blanks and `#` comment lines are ignored; nothing left = ready.
 * Text of several words that does not start with (something close to) a condition word is a
 * note, not a condition (s6-rc ignores the contents, and some trees keep prose in marker files):
 * ready. Returns the word, or a message and hint for the diagnostic.
 */
export function parseCondition(text: string): { ok: true; condition: SourceCondition } | { ok: false; line: number; found: string; hint: string } {
  const lines = text.split('\n');
  const words: { word: string; line: number }[] = [];
  lines.forEach((l, i) => {
    const t = l.trim();
    if (t === '' || t.startsWith('#')) return;
    for (const w of t.split(/\s+/)) words.push({ word: w, line: i + 1 });
  });
  if (words.length === 0) return { ok: true, condition: 'ready' };
  const first = words[0]!;
  const guess = closestName(first.word, CONDITION_WORDS);
  if (words.length > 1 && guess === undefined) return { ok: true, condition: 'ready' };
  if (words.length > 1) return { ok: false, line: words[1]!.line, found: words.map((w) => w.word).join(' '), hint: `write one word; ${ACCEPTED}` };
  if ((CONDITION_WORDS as readonly string[]).includes(first.word)) return { ok: true, condition: first.word as SourceCondition };
  const invisible = invisibleCharHint(lines[first.line - 1] ?? '');
  return { ok: false, line: first.line, found: first.word, hint: invisible ?? `${guess !== undefined ? `did you mean ${guess}? ` : ''}${ACCEPTED}` };
}

/**
 * Read the condition of each `dependencies.d/` entry and set it on the ref when it is not the
 * default. An empty entry (the usual case) costs one stat; only non-empty files are opened.
 * Entries that are not regular files are left alone (s6-rc-compile only reads the names).
 */
export function readConditions(refs: NameRef[], sink: DiagnosticSink): void {
  for (const ref of refs) {
    if (ref.line !== undefined) continue;
    let size: number;
    try {
      const st = statSync(ref.file);
      if (!st.isFile()) continue;
      size = st.size;
    } catch {
      continue;
    }
    if (size === 0) continue;
    const r = readText(ref.file, MAX_CONDITION_BYTES);
    if (!r.ok) {
      sink.system(ref.file, `unable to read ${ref.file}: ${r.message}`);
      continue;
    }
    const parsed = parseCondition(r.text);
    if (parsed.ok) {
      if (parsed.condition !== 'ready') ref.condition = parsed.condition;
      continue;
    }
    sink.error(ref.file, `invalid condition ${quoteText(parsed.found)} in ${ref.file}`, { line: parsed.line, hint: parsed.hint });
  }
}

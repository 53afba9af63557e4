// List files (dependencies, contents, producer-for, ...): one name per line, s6-rc's exact rules.
import type { NameRef } from './types.js';

export interface ListLine {
  name: string;
  line: number;
}

/**
 * One name per line. Leading spaces and tabs are stripped; trailing whitespace is KEPT as part
 * of the name (as s6-rc-compile does). Empty lines and lines whose first non-blank character is
 * `#` are skipped. A missing final newline is fine.
 */
export function parseList(text: string): ListLine[] {
  const out: ListLine[] = [];
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    let i = start;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i < end && text[i] !== '#') out.push({ name: text.slice(i, end), line });
    start = end + 1;
  }
  return out;
}

/** A hint for a name that is probably mistyped because of invisible characters. */
export function invisibleCharHint(name: string): string | undefined {
  if (name.endsWith('\r')) return 'the name ends with a carriage return: the file has CRLF (Windows) line endings';
  if (/[ \t]$/.test(name)) return 'trailing blanks are part of the name in list files: remove them';
  return undefined;
}

/** Keep the first occurrence of each name; report the later ones through `onDuplicate`. */
export function dedupe(refs: NameRef[], onDuplicate: (ref: NameRef) => void): NameRef[] {
  const seen = new Set<string>();
  const out: NameRef[] = [];
  for (const r of refs) {
    if (seen.has(r.name)) onDuplicate(r);
    else {
      seen.add(r.name);
      out.push(r);
    }
  }
  return out;
}

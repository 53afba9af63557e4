// s6-rc-update's conversion file (-f CONVFILE): `old -> new` renames a service, a trailing `restart` restarts it even when unchanged.
//
// One instruction per line: `OLD`, then optionally `-> NEW`, then optionally `restart`. Words are
// separated by blanks; a word starting with `#` begins a comment to the end of the line; blank
// lines are skipped. Every problem is located (file:line) with the expected syntax as a hint.
import { error, type Diagnostic } from '../core/diagnostics.js';

export interface ConvLine {
  /** The service's name in the old db. */
  from: string;
  /** Its name in the new db (= from when not renamed). */
  to: string;
  restart: boolean;
  line: number;
}

export interface Convfile {
  entries: ConvLine[];
  diagnostics: Diagnostic[];
}

const SYNTAX = 'each line is `OLD -> NEW`, `OLD -> NEW restart` or `OLD restart` (# starts a comment)';

function words(line: string): string[] {
  const out: string[] = [];
  for (const w of line.split(/[ \t\r]+/)) {
    if (w === '') continue;
    if (w.startsWith('#')) break;
    out.push(w);
  }
  return out;
}

/** Parse a conversion file's text; `file` names it in diagnostics. */
export function parseConvfile(text: string, file: string): Convfile {
  const entries: ConvLine[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const w = words(raw);
    if (w.length === 0) return;
    const bad = (message: string): void => void diagnostics.push(error(file, message, { line, hint: SYNTAX }));
    const [from, second, third, fourth] = w;
    let to = from!;
    let restart = false;
    if (second === '->') {
      if (third === undefined || third === 'restart') return bad(`'->' after '${from}' must be followed by the new name`);
      to = third;
      if (fourth !== undefined && fourth !== 'restart') return bad(`unexpected '${fourth}' after '${from} -> ${to}'`);
      restart = fourth === 'restart';
      if (w.length > 4) return bad(`unexpected '${w[4]}' after '${w.slice(0, 4).join(' ')}'`);
    } else if (second !== undefined) {
      if (second !== 'restart') return bad(`unexpected '${second}' after '${from}': expected '->' or 'restart'`);
      if (third !== undefined) return bad(`unexpected '${third}' after '${from} restart'`);
      restart = true;
    }
    if (from === '->') return bad("a line cannot start with '->': the old name comes first");
    const earlier = seen.get(from!);
    if (earlier !== undefined) return void diagnostics.push(error(file, `'${from}' is converted twice (first on line ${earlier})`, { line, hint: 'keep one line per old service' }));
    seen.set(from!, line);
    entries.push({ from: from!, to, restart, line });
  });
  return { entries, diagnostics };
}

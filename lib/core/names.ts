// Service names: reserved prefixes and "did you mean" suggestions.
export const RESERVED_PREFIXES = ['s6rc-', 's6-rc-'] as const;

export const hasReservedPrefix = (name: string): boolean => RESERVED_PREFIXES.some((p) => name.startsWith(p));

/** Levenshtein distance, bounded: returns max+1 as soon as the distance exceeds max. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest known name to `name`, if one is close enough to be a plausible typo. */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const max = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestD = max + 1;
  const lower = name.toLowerCase();
  for (const k of known) {
    if (k.toLowerCase() === lower) return k;
    const d = editDistance(lower, k.toLowerCase(), bestD - 1 < 0 ? 0 : Math.min(max, bestD));
    if (d < bestD || (d === bestD && best !== undefined && k < best)) {
      best = k;
      bestD = d;
    }
  }
  return bestD <= max ? best : undefined;
}

/** Quoted content in a message is cut at this many characters. */
export const QUOTE_MAX = 80;

/**
 * `text` as a JSON string for a message, cut at `max` characters with an ellipsis and the total
 * length, so a hostile file (16 MiB of NUL bytes) cannot flood a diagnostic.
 */
export function quoteText(text: string, max = QUOTE_MAX): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max))}… (${text.length} characters)`;
}

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\x00-\x08\x0a-\x0c\x0e-\x1f\x7f]/;

/**
 * What makes `name` invalid, if anything: a NUL byte, a newline or another control character.
 * Tab and carriage return are left to the "undefined name" hints (trailing blanks, CRLF files).
 */
export function invalidNameChar(name: string): string | undefined {
  const m = CONTROL.exec(name);
  if (m === null) return undefined;
  const c = m[0];
  if (c === '\0') return 'a NUL byte';
  if (c === '\n') return 'a newline character';
  return `a control character (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
}

/** A name for a message: as it is when short and printable, else quoted and cut (see `quoteText`). */
export function showName(name: string, max = QUOTE_MAX): string {
  return name.length <= max && !CONTROL.test(name) && !/[\s"]/.test(name) ? name : quoteText(name, max);
}

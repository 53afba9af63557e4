// Execline lexer for oneshot up/down (and ready-cmd): text → argv, with execline's quoting and block rules.
import { err, ok, type Result } from '../core/result.js';

export interface LexError {
  /** s6-rc-compile's wording after "syntax error in FILE: ", e.g. "unmatched {". */
  message: string;
  line: number;
}

const SEPARATORS = new Set([' ', '\t', '\n', '\r']);
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r' };
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Parse a numeric escape after the backslash at `i`; returns the char code and the index after it. */
function numericEscape(text: string, i: number): { code: number; next: number } | undefined {
  if (text[i] === '0') {
    if (text[i + 1] === 'x' && isHex(text[i + 2])) {
      let j = i + 2;
      let v = '';
      while (v.length < 2 && isHex(text[j])) v += text[j++];
      return { code: parseInt(v, 16), next: j };
    }
    let j = i + 1;
    let code = 0;
    while (j < i + 4 && isOctal(text[j]) && code * 8 + Number(text[j]) <= 0o377) code = code * 8 + Number(text[j++]);
    return { code, next: j };
  }
  if (!isDigit(text[i])) return undefined;
  let j = i;
  let code = 0;
  while (j < i + 3 && isDigit(text[j]) && code * 10 + Number(text[j]) <= 255) code = code * 10 + Number(text[j++]);
  return { code, next: j };
}

class Lexer {
  readonly words: string[] = [];
  readonly #openLines: number[] = [];
  #word: string | null = null;
  #plain = true;
  #line = 1;
  #i = 0;

  constructor(private readonly text: string) {}

  run(): Result<string[], LexError> {
    const { text } = this;
    while (this.#i < text.length) {
      const c = text[this.#i]!;
      if (c === '\0') return this.fail('NUL character in script (binary file?)');
      if (SEPARATORS.has(c)) {
        const e = this.endWord();
        if (e) return e;
        if (c === '\n') this.#line++;
        this.#i++;
      } else if (c === '#') {
        const e = this.endWord();
        if (e) return e;
        while (this.#i < text.length && text[this.#i] !== '\n') this.#i++;
      } else if (c === '"') {
        const e = this.quoted();
        if (e) return e;
      } else if (c === '\\') {
        this.unquotedEscape();
      } else {
        this.append(c, true);
        this.#i++;
      }
    }
    const e = this.endWord();
    if (e) return e;
    if (this.#openLines.length > 0) return err({ message: 'unmatched {', line: this.#openLines[this.#openLines.length - 1]! });
    return ok(this.words);
  }

  private fail(message: string, line = this.#line): { ok: false; error: LexError } {
    return err({ message, line });
  }

  private append(s: string, plain: boolean): void {
    this.#word = (this.#word ?? '') + s;
    if (!plain) this.#plain = false;
  }

  private unquotedEscape(): void {
    const next = this.text[this.#i + 1];
    // A backslash at end of input or end of line is ignored (the newline still separates words).
    if (next === undefined || next === '\n') {
      this.#i++;
      return;
    }
    this.append(next, false);
    this.#i += 2;
  }

  /** Consume a "..." string starting at the opening quote; it always contributes to a word. */
  private quoted(): { ok: false; error: LexError } | undefined {
    const { text } = this;
    const startLine = this.#line;
    this.append('', false);
    let i = this.#i + 1;
    for (;;) {
      const c = text[i];
      if (c === undefined) return this.fail('unterminated quoted string', startLine);
      if (c === '"') break;
      if (c === '\0') return this.fail('NUL character in script (binary file?)');
      if (c === '\n') this.#line++;
      if (c !== '\\') {
        this.append(c, false);
        i++;
        continue;
      }
      const n = text[i + 1];
      if (n === undefined) return this.fail('unterminated quoted string', startLine);
      if (n === '\n') {
        this.#line++;
        i += 2;
        continue;
      }
      const num = numericEscape(text, i + 1);
      if (num !== undefined) {
        if (num.code === 0) return this.fail('escape sequence yields a NUL character');
        this.append(String.fromCharCode(num.code), false);
        i = num.next;
        continue;
      }
      this.append(SIMPLE_ESCAPES[n] ?? n, false);
      i += 2;
    }
    this.#i = i + 1;
    return undefined;
  }

  /** Finish the current word: a bare `{` opens a block, a bare `}` closes one (an empty word). */
  private endWord(): { ok: false; error: LexError } | undefined {
    const w = this.#word;
    const plain = this.#plain;
    this.#word = null;
    this.#plain = true;
    if (w === null) return undefined;
    if (plain && w === '{') {
      this.#openLines.push(this.#line);
      return undefined;
    }
    if (plain && w === '}') {
      if (this.#openLines.length === 0) return this.fail('unmatched }');
      this.#openLines.pop();
      this.words.push(' '.repeat(this.#openLines.length));
      return undefined;
    }
    this.words.push(' '.repeat(this.#openLines.length) + w);
    return undefined;
  }
}

/**
 * Lex a command line as s6-rc-compile does for `up`/`down`: words split on blanks, `#` comments,
 * "..." strings with escapes, backslash escapes, and `{ }` blocks (inner words prefixed with one
 * space per level; a closing brace becomes an empty word at the outer level).
 */
export function lexExecline(text: string): Result<string[], LexError> {
  return new Lexer(text).run();
}

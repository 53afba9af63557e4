// Splits a byte stream into whole lines without copying: pieces point into the chunks read.
import { MAX_LINE_BYTES } from './types.js';

/**
 * The lines found in one chunk, as (buffer, start, end) ranges (end exclusive, newline not
 * included). Reused from chunk to chunk by its owner: read it before the next `reset`.
 */
export class Pieces {
  bufs: Buffer[] = [];
  starts: number[] = [];
  ends: number[] = [];
  count = 0;
  /** Sum of the lines' lengths (without newlines). */
  bytes = 0;

  reset(): void {
    this.bufs.length = 0;
    this.starts.length = 0;
    this.ends.length = 0;
    this.count = 0;
    this.bytes = 0;
  }

  add(buf: Buffer, start: number, end: number): void {
    this.bufs.push(buf);
    this.starts.push(start);
    this.ends.push(end);
    this.count++;
    this.bytes += end - start;
  }

  /** Lines [from, to), each preceded by `prefix` and followed by a newline, in one new buffer. */
  join(prefix: Buffer, from = 0, to = this.count): Buffer {
    const bytes = from === 0 && to === this.count ? this.bytes : this.bytesOf(from, to);
    const out = Buffer.allocUnsafe((to - from) * (prefix.length + 1) + bytes);
    let o = 0;
    for (let i = from; i < to; i++) {
      if (prefix.length > 0) o += prefix.copy(out, o);
      o += this.bufs[i]!.copy(out, o, this.starts[i], this.ends[i]);
      out[o++] = 10;
    }
    return out;
  }

  /** Length of line i (without its newline). */
  length(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /** Sum of the lengths of lines [from, to). */
  bytesOf(from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) n += this.ends[i]! - this.starts[i]!;
    return n;
  }

  /** Every line followed by a newline, copied (runs that were contiguous are copied at once). */
  block(): Buffer {
    const out = Buffer.allocUnsafe(this.count + this.bytes);
    let o = 0;
    let i = 0;
    while (i < this.count) {
      const buf = this.bufs[i]!;
      let j = i;
      // Extend the run while the next line starts right after this line's newline.
      while (j + 1 < this.count && this.bufs[j + 1] === buf && this.starts[j + 1] === this.ends[j]! + 1) j++;
      o += buf.copy(out, o, this.starts[i], this.ends[j]);
      out[o++] = 10;
      i = j + 1;
    }
    return out;
  }

  /** Line i decoded as UTF-8. */
  text(i: number): string {
    return this.bufs[i]!.toString('utf8', this.starts[i], this.ends[i]);
  }
}

/** Where to cut [start, cut) so that a UTF-8 sequence is not split (unless it cannot be helped). */
function utf8Cut(buf: Buffer, start: number, cut: number): number {
  let b = cut;
  for (let k = 0; k < 3 && b > start && (buf[b]! & 0xc0) === 0x80; k++) b--;
  return b > start && (buf[b]! & 0xc0) !== 0x80 ? b : cut;
}

/**
 * Turns chunks into whole lines. Keeps the unfinished last line (at most `maxLine` bytes) until
 * its newline arrives; longer lines are emitted in pieces of `maxLine` bytes.
 */
export class LineSplitter {
  #carry: Buffer[] = [];
  #carryLen = 0;

  constructor(private readonly maxLine = MAX_LINE_BYTES) {}

  /** Bytes held for an unfinished line. */
  get pending(): number {
    return this.#carryLen;
  }

  /** Add the complete lines of `chunk` to `out`; keep the rest. */
  push(chunk: Buffer, out: Pieces): void {
    let pos = 0;
    if (this.#carryLen > 0) {
      const nl = chunk.indexOf(10);
      if (nl === -1) return this.#hold(chunk, 0, chunk.length, out);
      this.#hold(chunk, 0, nl, out);
      this.#flushCarry(out);
      pos = nl + 1;
    }
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl === -1) break;
      if (nl - pos > this.maxLine) this.#splitLong(chunk, pos, nl, out);
      else out.add(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < len) this.#hold(chunk, pos, len, out);
  }

  /** At end of input: the unfinished line, if any, becomes a line. */
  end(out: Pieces): void {
    if (this.#carryLen > 0) this.#flushCarry(out);
  }

  #flushCarry(out: Pieces): void {
    const line = this.#carry.length === 1 ? this.#carry[0]! : Buffer.concat(this.#carry, this.#carryLen);
    this.#carry = [];
    this.#carryLen = 0;
    out.add(line, 0, line.length);
  }

  /** Keep [start, end) of chunk as part of the unfinished line, emitting full-size pieces. */
  #hold(chunk: Buffer, start: number, end: number, out: Pieces): void {
    let s = start;
    while (this.#carryLen + (end - s) > this.maxLine) {
      const cut = utf8Cut(chunk, s, s + (this.maxLine - this.#carryLen));
      this.#carry.push(chunk.subarray(s, cut));
      this.#carryLen += cut - s;
      this.#flushCarry(out);
      s = cut;
    }
    if (s < end) {
      // Copy: the chunk may be large and the carry may live long.
      this.#carry.push(Buffer.from(chunk.subarray(s, end)));
      this.#carryLen += end - s;
    }
  }

  #splitLong(chunk: Buffer, start: number, end: number, out: Pieces): void {
    let s = start;
    while (end - s > this.maxLine) {
      const cut = utf8Cut(chunk, s, s + this.maxLine);
      out.add(chunk, s, cut);
      s = cut;
    }
    out.add(chunk, s, end);
  }
}

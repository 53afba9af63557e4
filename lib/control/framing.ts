// Newline framing for the control socket: split a byte stream into bounded UTF-8 lines.

export type FrameResult = { lines: string[]; overflow: boolean };

/**
 * Accumulates chunks and returns complete lines. When a line grows past `maxBytes` without
 * a newline, `overflow` is set and the splitter stops producing lines (the caller closes).
 */
export class LineSplitter {
  #parts: Buffer[] = [];
  #pending = 0;
  #overflowed = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): FrameResult {
    if (this.#overflowed) return { lines: [], overflow: true };
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      if (this.#pending + piece.length > this.maxBytes) return this.#overflow(lines);
      lines.push(this.#take(piece));
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (this.#pending + rest.length > this.maxBytes) return this.#overflow(lines);
      this.#parts.push(Buffer.from(rest));
      this.#pending += rest.length;
    }
    return { lines, overflow: false };
  }

  #take(last: Buffer): string {
    const text = this.#parts.length === 0 ? last.toString('utf8') : Buffer.concat([...this.#parts, last]).toString('utf8');
    this.#parts = [];
    this.#pending = 0;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }

  #overflow(lines: string[]): FrameResult {
    this.#overflowed = true;
    this.#parts = [];
    this.#pending = 0;
    return { lines, overflow: true };
  }
}

// RingStore: the recent lines of every service (also finished or failed ones), for `rc logs [-f]`.
import type { Pieces } from './line-splitter.js';
import { LinePrefixer, isoTime, jsonLine } from './prefix.js';
import type { LogFormat, LogStream } from './types.js';

/** One stored line. `time` is wall-clock milliseconds (when the chunk holding it was read). */
export interface RingLine {
  service: string;
  stream: LogStream;
  time: number;
  line: string;
}

export type RingListener = (line: RingLine) => void;

export interface RingOptions {
  /** Lines kept per service (default 1000). */
  linesPerService?: number;
  /** Bytes kept per service at most (default 4 MiB), so that long lines cannot pile up. */
  bytesPerService?: number;
}

/** A block of `count` newline-terminated lines read together. */
interface Segment {
  stream: LogStream;
  time: number;
  block: Buffer;
  count: number;
}

interface ServiceRing {
  segments: Segment[];
  lines: number;
  bytes: number;
}

/**
 * Bounded per-service history. Lines are stored as the raw blocks the multiplexer read
 * (one copy per chunk, no per-line objects); `tail` decodes on demand. A service keeps at
 * least its newest `linesPerService` lines (and at most one block more).
 */
export class RingStore {
  readonly #rings = new Map<string, ServiceRing>();
  readonly #listeners = new Set<RingListener>();
  readonly #maxLines: number;
  readonly #maxBytes: number;

  constructor(options: RingOptions = {}) {
    this.#maxLines = options.linesPerService ?? 1000;
    this.#maxBytes = options.bytesPerService ?? 4 * 1024 * 1024;
  }

  /** Store the lines in `pieces` (copied) and pass them to live subscribers. */
  push(service: string, stream: LogStream, time: number, pieces: Pieces): void {
    if (pieces.count === 0) return;
    this.#store(service, { stream, time, block: pieces.block(), count: pieces.count });
    if (this.#listeners.size === 0) return;
    for (let i = 0; i < pieces.count; i++) {
      const line: RingLine = { service, stream, time, line: pieces.text(i) };
      for (const listener of this.#listeners) listener(line);
    }
  }

  /** Store one line given as text (e.g. a daemon message about a service). */
  pushLine(service: string, stream: LogStream, time: number, line: string): void {
    this.#store(service, { stream, time, block: Buffer.from(`${line}\n`), count: 1 });
    for (const listener of this.#listeners) listener({ service, stream, time, line });
  }

  /** The last `n` lines of a service, oldest first ([] for an unknown service). */
  tail(service: string, n: number = this.#maxLines): RingLine[] {
    const ring = this.#rings.get(service);
    if (ring === undefined || n <= 0) return [];
    const out: RingLine[] = [];
    for (let s = ring.segments.length - 1; s >= 0 && out.length < n; s--) {
      const seg = ring.segments[s]!;
      const lines = splitBlock(seg.block);
      for (let i = lines.length - 1; i >= 0 && out.length < n; i--) {
        out.push({ service, stream: seg.stream, time: seg.time, line: lines[i]! });
      }
    }
    return out.reverse();
  }

  /** Names of the services that have lines, sorted. */
  services(): string[] {
    return [...this.#rings.keys()].sort();
  }

  /** Live lines from now on; returns the unsubscribe function. Listeners must not throw. */
  subscribe(listener: RingListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** A service renamed (rc update with a conversion file): its history goes with it. */
  rename(from: string, to: string): void {
    const ring = this.#rings.get(from);
    if (ring === undefined || from === to) return;
    this.#rings.delete(from);
    this.#rings.set(to, ring);
  }

  /** Drop a service's history (e.g. after it was removed from the database). */
  forget(service: string): void {
    this.#rings.delete(service);
  }

  #store(service: string, seg: Segment): void {
    let ring = this.#rings.get(service);
    if (ring === undefined) {
      ring = { segments: [], lines: 0, bytes: 0 };
      this.#rings.set(service, ring);
    }
    ring.segments.push(seg);
    ring.lines += seg.count;
    ring.bytes += seg.block.length;
    // Drop the oldest blocks while what remains still holds enough lines (or too many bytes).
    while (ring.segments.length > 1) {
      const first = ring.segments[0]!;
      const enoughLines = ring.lines - first.count >= this.#maxLines;
      const tooBig = ring.bytes > this.#maxBytes;
      if (!enoughLines && !tooBig) break;
      ring.segments.shift();
      ring.lines -= first.count;
      ring.bytes -= first.block.length;
    }
  }
}

function splitBlock(block: Buffer): string[] {
  const lines: string[] = [];
  let pos = 0;
  while (pos < block.length) {
    const nl = block.indexOf(10, pos);
    const end = nl === -1 ? block.length : nl;
    lines.push(block.toString('utf8', pos, end));
    pos = end + 1;
  }
  return lines;
}

export interface RingFormatOptions {
  format?: LogFormat;
  timestamps?: boolean;
}

/**
 * Format a stored line exactly as the multiplexer writes it to stdout (with the same
 * prefixer, so width and colours match), without the trailing newline.
 */
export function formatRingLine(line: RingLine, prefixer: LinePrefixer, options: RingFormatOptions = {}): string {
  if (options.format === 'json') return jsonLine(line.service, line.stream, isoTime(line.time), line.line);
  const stamp = options.timestamps ? `${isoTime(line.time)} ` : '';
  return `${prefixer.prefix(line.service)}${stamp}${line.line}`;
}

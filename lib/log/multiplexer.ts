// OutputMultiplexer: every service's output to the daemon's stdout/stderr as whole prefixed lines.
import type { Writable } from 'node:stream';
import { systemClock, type Clock } from '../core/clock.js';
import { LineSplitter, Pieces } from './line-splitter.js';
import { LinePrefixer, isoTime, jsonLine } from './prefix.js';
import type { RingStore } from './ring.js';
import type { LogFormat, LogStream, OutputSink } from './types.js';

export interface MultiplexerOptions {
  stdout: Writable;
  stderr: Writable;
  format: LogFormat;
  timestamps: boolean;
  color: boolean;
  clock?: Clock;
  /** When given, every line is also kept there (for `rc logs`). */
  ring?: RingStore;
  /** Split lines longer than this (default 64 KiB). */
  maxLine?: number;
}

interface Attached {
  service: string;
  stream: LogStream;
  source: NodeJS.ReadableStream;
  splitter: LineSplitter;
  done: boolean;
}

export interface MultiplexerStats {
  lines: number;
  bytes: number;
  /** Sources currently attached. */
  sources: number;
  /** Times the destination asked us to wait (write() returned false). */
  pauses: number;
}

/**
 * Reads each attached stream, cuts it into whole lines and writes them, prefixed, in one
 * write per chunk read: lines of different services never mix. When a destination's write()
 * returns false every source is paused until it drains, so the services block on their
 * pipes and memory stays bounded (about one pipe buffer per source plus the destination's
 * high-water mark).
 */
export class OutputMultiplexer implements OutputSink {
  readonly prefixer: LinePrefixer;
  readonly #opts: MultiplexerOptions;
  readonly #clock: Clock;
  readonly #sources = new Set<Attached>();
  readonly #congested = new Set<Writable>();
  readonly #broken = new Set<Writable>();
  readonly #pieces = new Pieces();
  readonly #idleWaiters: (() => void)[] = [];
  #stats: MultiplexerStats = { lines: 0, bytes: 0, sources: 0, pauses: 0 };

  constructor(options: MultiplexerOptions) {
    this.#opts = options;
    this.#clock = options.clock ?? systemClock;
    this.prefixer = new LinePrefixer(options.color);
    for (const dest of new Set([options.stdout, options.stderr])) {
      // A destination that fails (EPIPE: nobody reads our stdout any more) is dropped, not fatal.
      dest.on('error', () => this.#broken.add(dest));
    }
  }

  /** Declare every service name up front: common width from the first line, stable colours. */
  setNames(names: Iterable<string>): void {
    this.prefixer.setNames(names);
  }

  /** A service renamed (rc update with a conversion file): the output of its running process and its recent lines go under the new name. */
  rename(from: string, to: string): void {
    this.prefixer.register(to);
    for (const entry of this.#sources) if (entry.service === from) entry.service = to;
    this.#opts.ring?.rename(from, to);
  }

  attach(service: string, stream: LogStream, source: NodeJS.ReadableStream): void {
    this.prefixer.register(service);
    const entry: Attached = { service, stream, source, splitter: new LineSplitter(this.#opts.maxLine), done: false };
    this.#sources.add(entry);
    this.#stats.sources = this.#sources.size;
    source.on('data', (chunk: Buffer | string) => this.#onData(entry, typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    const finish = (): void => this.#finish(entry);
    source.on('end', finish);
    source.on('close', finish);
    source.on('error', finish);
    if (this.#congested.size > 0) source.pause();
  }

  stats(): MultiplexerStats {
    return { ...this.#stats };
  }

  /** Resolves once every attached source has ended and the destinations have drained. */
  idle(): Promise<void> {
    if (this.#sources.size === 0 && this.#congested.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #onData(entry: Attached, chunk: Buffer): void {
    const pieces = this.#pieces;
    pieces.reset();
    entry.splitter.push(chunk, pieces);
    if (pieces.count > 0) this.#emit(entry, pieces);
  }

  #finish(entry: Attached): void {
    if (entry.done) return;
    entry.done = true;
    const pieces = this.#pieces;
    pieces.reset();
    entry.splitter.end(pieces);
    if (pieces.count > 0) this.#emit(entry, pieces);
    this.#sources.delete(entry);
    this.#stats.sources = this.#sources.size;
    this.#checkIdle();
  }

  #emit(entry: Attached, pieces: Pieces): void {
    const time = this.#clock.wallNow();
    this.#opts.ring?.push(entry.service, entry.stream, time, pieces);
    this.#stats.lines += pieces.count;
    this.#stats.bytes += pieces.bytes + pieces.count;
    const dest = entry.stream === 'stdout' ? this.#opts.stdout : this.#opts.stderr;
    if (this.#broken.has(dest)) return;
    if (!dest.write(this.#format(entry, pieces, time))) this.#congest(dest);
  }

  #format(entry: Attached, pieces: Pieces, time: number): Buffer {
    if (this.#opts.format === 'json') {
      const stamp = isoTime(time);
      let text = '';
      for (let i = 0; i < pieces.count; i++) text += `${jsonLine(entry.service, entry.stream, stamp, pieces.text(i))}\n`;
      return Buffer.from(text);
    }
    const prefix = this.prefixer.prefixBuffer(entry.service);
    if (!this.#opts.timestamps) return pieces.join(prefix);
    return pieces.join(Buffer.concat([prefix, Buffer.from(`${isoTime(time)} `)]));
  }

  #congest(dest: Writable): void {
    if (this.#congested.has(dest)) return;
    this.#congested.add(dest);
    this.#stats.pauses++;
    for (const s of this.#sources) s.source.pause();
    const release = (): void => {
      dest.off('drain', release);
      dest.off('close', release);
      this.#congested.delete(dest);
      if (this.#congested.size > 0) return;
      for (const s of this.#sources) s.source.resume();
      this.#checkIdle();
    };
    dest.on('drain', release);
    dest.on('close', release);
  }

  #checkIdle(): void {
    if (this.#sources.size > 0 || this.#congested.size > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

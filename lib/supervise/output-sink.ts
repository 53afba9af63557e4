// The default OutputSink: whole lines, prefixed with the service name, with back-pressure.
import type { OutputSink } from './types.js';

export interface LineSinkOptions {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Text put before every line; default `NAME: `. */
  prefix?: (service: string) => string;
  /** A line longer than this is cut into pieces of at most this many bytes. */
  maxLineBytes?: number;
}

const NL = 0x0a;

/** Pauses sources while their destination is full; one 'drain' listener per destination. */
class Gate {
  readonly #paused = new Set<NodeJS.ReadableStream>();
  #listening = false;
  constructor(private readonly out: NodeJS.WritableStream) {}

  write(text: string, source: NodeJS.ReadableStream): void {
    if (this.out.write(text)) return;
    source.pause();
    this.#paused.add(source);
    if (this.#listening) return;
    this.#listening = true;
    this.out.once('drain', () => {
      this.#listening = false;
      for (const s of this.#paused) s.resume();
      this.#paused.clear();
    });
  }
}

/** Split a byte stream into lines; `emit` gets each complete line without its newline. */
function splitLines(source: NodeJS.ReadableStream, max: number, emit: (lines: string[]) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  source.on('data', (chunk: Buffer | string) => {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (pending.length) buf = Buffer.concat([pending, buf]);
    const lines: string[] = [];
    let start = 0;
    for (let i = buf.indexOf(NL); i !== -1; i = buf.indexOf(NL, start)) {
      for (; i - start > max; start += max) lines.push(buf.toString('utf8', start, start + max));
      lines.push(buf.toString('utf8', start, i));
      start = i + 1;
    }
    for (; buf.length - start > max; start += max) lines.push(buf.toString('utf8', start, start + max));
    pending = start < buf.length ? Buffer.from(buf.subarray(start)) : Buffer.alloc(0);
    if (lines.length) emit(lines);
  });
  source.on('end', () => {
    if (pending.length) emit([pending.toString('utf8')]);
    pending = Buffer.alloc(0);
  });
  source.on('error', () => undefined);
}

/** An OutputSink writing whole prefixed lines to two writable streams. */
export function createLineSink(options: LineSinkOptions): OutputSink {
  const prefix = options.prefix ?? ((service: string) => `${service}: `);
  const max = options.maxLineBytes ?? 64 * 1024;
  const gates = { stdout: new Gate(options.stdout), stderr: new Gate(options.stderr) };
  return {
    attach(service, stream, source) {
      const p = prefix(service);
      splitLines(source, max, (lines) => gates[stream].write(lines.map((l) => `${p}${l}\n`).join(''), source));
    },
  };
}

/** The daemon's default: lines to its own stdout and stderr. */
export function defaultOutputSink(): OutputSink {
  return createLineSink({ stdout: process.stdout, stderr: process.stderr });
}

/** A sink that reads and drops everything (benchmarks, tests). */
export const discardSink: OutputSink = {
  attach(_service, _stream, source) {
    source.on('data', () => undefined);
    source.on('error', () => undefined);
  },
};

// PipelineSet: one FIFO per consumer, held open by the daemon so pipelines survive restarts.
import { closeSync, constants, fstatSync, lstatSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import type { DbIndex } from '../db/types.js';
import { createFifoOps, type FifoOps } from '../sys/fifo.js';
import { makeDirs } from './make-dirs.js';
import type { StdioRouting } from './types.js';

/** A consumer and the producers writing into its pipe. */
export interface PipelineSpec {
  consumer: string;
  producers: string[];
}

export interface PipelineError {
  kind: 'invalid' | 'mkdir' | 'mkfifo' | 'not-a-fifo' | 'open';
  path: string;
  message: string;
}

interface ConsumerPipe {
  path: string;
  /** O_RDWR: keeps a reader and a writer alive for the daemon's whole life. */
  hold: number;
  /** The consumer's stdin (its own file description, so its flags are its own). */
  read: number;
}

/** The pipelines of a compiled db: every longrun that has producers. */
export function pipelinesFromDb(db: DbIndex): PipelineSpec[] {
  const specs: PipelineSpec[] = [];
  for (const s of db.services) {
    if (s.type !== 'longrun' || s.consumerFor.length === 0) continue;
    specs.push({ consumer: s.name, producers: s.consumerFor.map((i) => db.services[i]!.name).sort() });
  }
  return specs;
}

/**
 * Pipes for `producer-for` / `consumer-for`. `open()` creates DIR/CONSUMER (a FIFO) for each
 * consumer and opens it once O_RDWR; that fd is never closed before `close()`, so the pipe
 * always has a reader and a writer: a consumer never sees EOF and a producer never gets
 * EPIPE when the other side restarts, and bytes in the pipe wait for the next reader.
 * The consumer and each producer get their own open file description of the FIFO (so a
 * Node child setting O_NONBLOCK on its stdio does not change anyone else's).
 */
export class PipelineSet {
  readonly #dir: string;
  #specs: PipelineSpec[];
  /** Every consumer and producer of #specs. */
  #members: Set<string>;
  readonly #ops: FifoOps;
  readonly #pipes = new Map<string, ConsumerPipe>();
  /** producer name → its write fd. */
  readonly #writers = new Map<string, number>();

  constructor(dir: string, pipelines: PipelineSpec[], ops: FifoOps = createFifoOps()) {
    this.#dir = dir;
    this.#specs = pipelines;
    this.#members = membersOf(pipelines);
    this.#ops = ops;
  }

  /** Create and open every pipe. On failure nothing stays open. Idempotent. */
  open(): Result<void, PipelineError> {
    if (this.#pipes.size > 0 || this.#specs.length === 0) return ok(undefined);
    const valid = this.#validate();
    if (!valid.ok) return valid;
    try {
      makeDirs(this.#dir, 0o700);
      // A link planted there would make rc create its FIFOs elsewhere: never follow one.
      const st = lstatSync(this.#dir);
      if (!st.isDirectory()) return err({ kind: 'mkdir', path: this.#dir, message: `${this.#dir} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}: rc does not follow links in its live directory; remove it` });
    } catch (e) {
      return err({ kind: 'mkdir', path: this.#dir, message: (e as Error).message });
    }
    for (const spec of this.#specs) {
      const opened = this.#openOne(spec);
      if (!opened.ok) {
        this.close();
        return opened;
      }
    }
    return ok(undefined);
  }

  /** Whether `service` is in a pipeline (a consumer or a producer): its stdio comes from `routing`. */
  has(service: string): boolean {
    return this.#members.has(service);
  }

  /**
   * `rc update`: move to the pipelines of a new db. A consumer in both keeps its FIFO and the fds
   * held on it (what is in the pipe stays); producers that left it lose their write end, new ones
   * get one; the pipes of consumers gone are closed and removed; new consumers get a new FIFO.
   * Call once the services whose pipeline changed are down. On failure nothing changed.
   */
  reconcile(pipelines: PipelineSpec[]): Result<void, PipelineError> {
    const before = this.#specs;
    const check = new PipelineSet(this.#dir, pipelines, this.#ops).#validate();
    if (!check.ok) return check;
    const next = new Map(pipelines.map((p) => [p.consumer, p]));
    if (this.#pipes.size === 0) {
      // Nothing open yet (the old db had no pipeline): open the new ones.
      this.#specs = pipelines;
      this.#members = membersOf(pipelines);
      return this.open();
    }
    const added = pipelines.filter((p) => !this.#pipes.has(p.consumer));
    for (const spec of added) {
      const opened = this.#openOne(spec);
      if (!opened.ok) {
        for (const a of added) this.#closeOne(a.consumer, a.producers);
        return opened;
      }
    }
    for (const old of before) {
      const spec = next.get(old.consumer);
      if (!spec) {
        this.#closeOne(old.consumer, old.producers);
        continue;
      }
      for (const p of old.producers) {
        if (spec.producers.includes(p)) continue;
        closeQuietly(this.#writers.get(p) ?? -1);
        this.#writers.delete(p);
      }
      try {
        for (const p of spec.producers) if (!this.#writers.has(p)) this.#writers.set(p, openSync(this.#pipes.get(spec.consumer)!.path, constants.O_WRONLY));
      } catch (e) {
        return err({ kind: 'open', path: this.fifoPath(spec.consumer), message: (e as Error).message });
      }
    }
    this.#specs = pipelines;
    this.#members = membersOf(pipelines);
    return ok(undefined);
  }

  /** Close one consumer's pipe and its producers' write ends, and remove its FIFO. */
  #closeOne(consumer: string, producers: readonly string[]): void {
    for (const p of producers) {
      closeQuietly(this.#writers.get(p) ?? -1);
      this.#writers.delete(p);
    }
    const pipe = this.#pipes.get(consumer);
    if (!pipe) return;
    if (namesFd(pipe.path, pipe.hold)) unlinkQuietly(pipe.path);
    closeQuietly(pipe.read);
    closeQuietly(pipe.hold);
    this.#pipes.delete(consumer);
  }

  /** The FIFO path of a consumer's pipe. */
  fifoPath(consumer: string): string {
    return join(this.#dir, consumer);
  }

  /**
   * How to wire a service's stdio for the next spawn (call it before each spawn): a producer's
   * stdout is its consumer's pipe, a consumer's stdin is its own pipe; everything else goes
   * to the sink. Resets O_NONBLOCK on the service's pipe ends, which a previous run may have set.
   */
  routing(service: string): StdioRouting {
    const pipe = this.#pipes.get(service);
    const writer = this.#writers.get(service);
    if (pipe !== undefined) this.#ops.clearNonBlock(pipe.read);
    if (writer !== undefined) this.#ops.clearNonBlock(writer);
    return { stdin: pipe?.read ?? 'ignore', stdout: writer ?? 'sink', stderr: 'sink' };
  }

  /**
   * Close every fd and remove the FIFOs (what is still in the pipes is lost). A path that no
   * longer names the FIFO this set holds (the live dir was replaced) is left alone.
   */
  close(): void {
    for (const fd of this.#writers.values()) closeQuietly(fd);
    for (const pipe of this.#pipes.values()) {
      if (namesFd(pipe.path, pipe.hold)) unlinkQuietly(pipe.path);
      closeQuietly(pipe.read);
      closeQuietly(pipe.hold);
    }
    this.#writers.clear();
    this.#pipes.clear();
  }

  #validate(): Result<void, PipelineError> {
    const owner = new Map<string, string>();
    for (const { consumer, producers } of this.#specs) {
      if (consumer.includes('/') || consumer.startsWith('.')) {
        return err({ kind: 'invalid', path: this.fifoPath(consumer), message: `invalid consumer name '${consumer}'` });
      }
      for (const p of producers) {
        const other = owner.get(p);
        if (other !== undefined) {
          const message = `producer '${p}' feeds both '${other}' and '${consumer}'`;
          return err({ kind: 'invalid', path: this.fifoPath(consumer), message });
        }
        owner.set(p, consumer);
      }
    }
    return ok(undefined);
  }

  #openOne(spec: PipelineSpec): Result<void, PipelineError> {
    const path = this.fifoPath(spec.consumer);
    const made = this.#ensureFifo(path);
    if (!made.ok) return made;
    try {
      // Hold first: with it open, the O_RDONLY and O_WRONLY opens below do not block.
      const hold = openSync(path, constants.O_RDWR);
      this.#pipes.set(spec.consumer, { path, hold, read: -1 });
      this.#pipes.get(spec.consumer)!.read = openSync(path, constants.O_RDONLY);
      for (const p of spec.producers) this.#writers.set(p, openSync(path, constants.O_WRONLY));
      return ok(undefined);
    } catch (e) {
      return err({ kind: 'open', path, message: (e as Error).message });
    }
  }

  #ensureFifo(path: string): Result<void, PipelineError> {
    try {
      const st = lstatSync(path);
      if (st.isFIFO()) return ok(undefined);
      return err({ kind: 'not-a-fifo', path, message: `${path} exists and is not a FIFO` });
    } catch {
      // absent: create it
    }
    const made = this.#ops.mkfifo(path, 0o600);
    return made.ok ? made : err({ kind: 'mkfifo', path, message: made.error });
  }
}

const membersOf = (specs: readonly PipelineSpec[]): Set<string> => new Set(specs.flatMap((p) => [p.consumer, ...p.producers]));

/** Does `path` name the file open as `fd`? */
function namesFd(path: string, fd: number): boolean {
  try {
    const open = fstatSync(fd);
    const there = lstatSync(path);
    return open.dev === there.dev && open.ino === there.ino;
  } catch {
    return false;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function closeQuietly(fd: number): void {
  if (fd < 0) return;
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

// ScandirPipes: one held pipe per service and its logger, added and dropped as rescans find them.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import type { Db } from '../db/db.js';
import { PipelineSet, type PipelineError } from '../log/pipelines.js';
import { sameFile } from '../live/live-dir.js';
import type { StdioRouting } from '../log/types.js';

/** Inside each pair's own PipelineSet, the two ends have fixed names. */
const PRODUCER = 'service';
const CONSUMER = 'log';

interface Pair {
  producer: string;
  consumer: string;
  set: PipelineSet;
  dir: string;
  /** The dir's identity: removed at the end only while the path still names it. */
  id: { dev: number; ino: number };
}

/** The (service, logger) pairs of a scandir db. */
export function loggerPairs(db: Db): { producer: string; consumer: string }[] {
  const out: { producer: string; consumer: string }[] = [];
  for (const s of db.index.services) {
    if (s.type === 'longrun' && s.producerFor !== null) out.push({ producer: s.name, consumer: db.service(s.producerFor).name });
  }
  return out;
}

/**
 * Each pair's FIFO is LIVE/pipes/scandir/NAME/log, held open by the daemon (a PipelineSet of
 * one pipeline), so the service and its logger can each restart without losing the pipe.
 */
export class ScandirPipes {
  readonly #root: string;
  /** producer name → its pair. */
  readonly #pairs = new Map<string, Pair>();
  /** consumer (logger) name → its pair. */
  readonly #byConsumer = new Map<string, Pair>();

  constructor(root: string) {
    this.#root = root;
  }

  /** Open the pipes of `db`'s pairs that are not open yet. On failure the new ones stay closed. */
  open(db: Db): Result<void, PipelineError> {
    const added: Pair[] = [];
    for (const { producer, consumer } of loggerPairs(db)) {
      if (this.#pairs.get(producer)?.consumer === consumer) continue;
      const dir = join(this.#root, producer);
      const set = new PipelineSet(dir, [{ consumer: CONSUMER, producers: [PRODUCER] }]);
      const opened = set.open();
      if (!opened.ok) {
        for (const p of added) this.#drop(p);
        return err(opened.error);
      }
      const { dev, ino } = statSync(dir);
      const pair = { producer, consumer, set, dir, id: { dev, ino } };
      added.push(pair);
      this.#pairs.set(producer, pair);
      this.#byConsumer.set(consumer, pair);
    }
    return ok(undefined);
  }

  /** Close the pipes of pairs `db` no longer has (call once neither end runs). */
  retain(db: Db): void {
    const kept = new Set(loggerPairs(db).map((p) => `${p.producer}\n${p.consumer}`));
    for (const pair of [...this.#pairs.values()]) if (!kept.has(`${pair.producer}\n${pair.consumer}`)) this.#drop(pair);
  }

  /** A service's stdio for its next spawn (call before each spawn), or undefined when it has no pipe. */
  routing(name: string): StdioRouting | undefined {
    const asProducer = this.#pairs.get(name);
    if (asProducer) return asProducer.set.routing(PRODUCER);
    return this.#byConsumer.get(name)?.set.routing(CONSUMER);
  }

  close(): void {
    for (const pair of [...this.#pairs.values()]) this.#drop(pair);
  }

  #drop(pair: Pair): void {
    pair.set.close();
    this.#pairs.delete(pair.producer);
    this.#byConsumer.delete(pair.consumer);
    if (sameFile(pair.dir, pair.id)) rmSync(pair.dir, { recursive: true, force: true });
  }
}

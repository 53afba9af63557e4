// Db: an immutable, validated compiled database in memory, with name resolution and closures.
import { join, resolve as resolvePath } from 'node:path';
import { closestName } from '../core/names.js';
import { SERVICEDIRS, type AtomicService, type Bundle, type DbIndex, type Resolved } from './types.js';

export type ClosureDirection = 'forward' | 'reverse';

export interface DbOptions {
  /**
   * Where the service directories are: `ROOT/NAME` (default: DIR/servicedirs, the copies a
   * compiled db holds). A scandir db runs its services from their original folders: ROOT = the scandir.
   */
  servicedirs?: string;
}

export class Db {
  /** Absolute path of the compiled database directory. */
  readonly dir: string;
  readonly index: DbIndex;
  readonly #byName: Map<string, Resolved>;
  readonly #servicedirs: string;

  /** Build from an index that has already been validated (see readDb / validateDbIndex). */
  constructor(index: DbIndex, dir: string, options: DbOptions = {}) {
    this.dir = resolvePath(dir);
    this.index = index;
    this.#servicedirs = options.servicedirs === undefined ? join(this.dir, SERVICEDIRS) : resolvePath(options.servicedirs);
    this.#byName = new Map();
    for (const s of index.services) this.#byName.set(s.name, { kind: 'atomic', index: s.index });
    for (const b of index.bundles) this.#byName.set(b.name, { kind: 'bundle', bundle: b });
  }

  /** Number of atomic services. */
  get size(): number {
    return this.index.services.length;
  }

  service(i: number): AtomicService {
    const s = this.index.services[i];
    if (s === undefined) throw new RangeError(`no atomic service with index ${i}`);
    return s;
  }

  /** Every name: atomic services (in index order), then bundles. */
  names(): string[] {
    return [...this.index.services.map((s) => s.name), ...this.index.bundles.map((b) => b.name)];
  }

  resolve(name: string): Resolved | undefined {
    return this.#byName.get(name);
  }

  /** Atomic indices a name stands for: [i] for an atomic service, the members of a bundle. */
  resolveAtomic(name: string): number[] | undefined {
    const r = this.#byName.get(name);
    if (r === undefined) return undefined;
    return r.kind === 'atomic' ? [r.index] : [...r.bundle.members];
  }

  bundle(name: string): Bundle | undefined {
    const r = this.#byName.get(name);
    return r?.kind === 'bundle' ? r.bundle : undefined;
  }

  /** The closest existing name, for "did you mean" hints. */
  closest(name: string): string | undefined {
    return closestName(name, this.#byName.keys());
  }

  /** Absolute path of an atomic service's directory (its compiled copy, or its scandir folder). */
  servicedir(i: number): string {
    return join(this.#servicedirs, this.service(i).name);
  }

  /**
   * The given services plus, transitively, everything they depend on ('forward') or
   * everything that depends on them ('reverse'). O(V+E), iterative.
   */
  closure(indices: Iterable<number>, direction: ClosureDirection): Set<number> {
    const services = this.index.services;
    const seen = new Uint8Array(services.length);
    const stack: number[] = [];
    const out = new Set<number>();
    for (const i of indices) {
      this.service(i);
      if (seen[i] === 0) {
        seen[i] = 1;
        stack.push(i);
      }
    }
    while (stack.length > 0) {
      const i = stack.pop()!;
      out.add(i);
      const s = services[i]!;
      const next = direction === 'forward' ? s.deps : s.rdeps;
      for (const j of next) {
        if (seen[j] === 0) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    return out;
  }
}

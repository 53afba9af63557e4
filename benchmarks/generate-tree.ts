// Seeded generator of synthetic source trees (30% oneshots, 60% longruns, 10% bundles, plus an ALL bundle).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GenerateTreeOptions {
  /** Number of definitions, bundles included (ALL comes on top). */
  n: number;
  seed?: number;
  /** Contents of every oneshot's `up` (default `true`). */
  oneshotUp?: string;
  /** Contents of every longrun's `run` (default `#!/bin/sh\nexec sleep 1000000\n`). */
  longrunRun?: string;
  /** Shares of each type, summing to 1 (default 0.3 / 0.6 / 0.1); counts are exact (rounded), order shuffled. */
  shares?: { oneshot: number; longrun: number; bundle: number };
  /** Each atomic service depends on 0..maxDeps earlier services or bundles (default 3). */
  maxDeps?: number;
  /** Name of the bundle holding every atomic service (default `ALL`; null for none). */
  allBundle?: string | null;
}

export interface GeneratedTree {
  dir: string;
  oneshots: string[];
  longruns: string[];
  bundles: string[];
}

/** mulberry32: a tiny deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickEarlier(random: () => number, earlier: string[], count: number): string[] {
  const picked = new Set<string>();
  for (let k = 0; k < count && earlier.length > 0; k++) picked.add(earlier[Math.floor(random() * earlier.length)]!);
  return [...picked];
}

type Kind = 'oneshot' | 'longrun' | 'bundle';

/** Exactly round(n × share) of each type, in a seeded random order (n=1000 → 300/600/100). */
function typeSequence(n: number, shares: Record<Kind, number>, random: () => number): Kind[] {
  const oneshots = Math.round(n * shares.oneshot);
  const longruns = Math.min(n - oneshots, Math.round(n * shares.longrun));
  const types: Kind[] = Array.from({ length: n }, (_, i) => (i < oneshots ? 'oneshot' : i < oneshots + longruns ? 'longrun' : 'bundle'));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [types[i], types[j]] = [types[j]!, types[i]!];
  }
  return types;
}

/** Write dependencies as `dependencies.d/` entries for even services and a list file for odd ones. */
function writeDeps(dir: string, i: number, deps: string[]): void {
  if (i % 2 === 1) {
    writeFileSync(join(dir, 'dependencies'), deps.map((d) => `${d}\n`).join(''));
    return;
  }
  mkdirSync(join(dir, 'dependencies.d'));
  for (const d of deps) writeFileSync(join(dir, 'dependencies.d', d), '');
}

/** Generate a source tree in `dir` (created). Same options and seed → same tree. */
export function generateTree(dir: string, options: GenerateTreeOptions): GeneratedTree {
  const random = prng(options.seed ?? 42);
  const shares = options.shares ?? { oneshot: 0.3, longrun: 0.6, bundle: 0.1 };
  const maxDeps = options.maxDeps ?? 3;
  const up = options.oneshotUp ?? 'true\n';
  const run = options.longrunRun ?? '#!/bin/sh\nexec sleep 1000000\n';
  const width = String(options.n).length;
  const out: GeneratedTree = { dir, oneshots: [], longruns: [], bundles: [] };
  const earlier: string[] = [];
  mkdirSync(dir, { recursive: true });
  const types = typeSequence(options.n, shares, random);
  for (let i = 0; i < options.n; i++) {
    const type = types[i]!;
    const name = `${type[0]}${String(i).padStart(width, '0')}`;
    const sdir = join(dir, name);
    mkdirSync(sdir);
    writeFileSync(join(sdir, 'type'), `${type}\n`);
    if (type === 'bundle') {
      mkdirSync(join(sdir, 'contents.d'));
      for (const m of pickEarlier(random, earlier, 1 + Math.floor(random() * 4))) writeFileSync(join(sdir, 'contents.d', m), '');
      out.bundles.push(name);
    } else {
      writeFileSync(join(sdir, type === 'oneshot' ? 'up' : 'run'), type === 'oneshot' ? up : run);
      writeDeps(sdir, i, pickEarlier(random, earlier, Math.floor(random() * (maxDeps + 1))));
      (type === 'oneshot' ? out.oneshots : out.longruns).push(name);
    }
    earlier.push(name);
  }
  const all = options.allBundle === undefined ? 'ALL' : options.allBundle;
  if (all !== null) {
    mkdirSync(join(dir, all));
    writeFileSync(join(dir, all, 'type'), 'bundle\n');
    writeFileSync(join(dir, all, 'contents'), [...out.oneshots, ...out.longruns].map((s) => `${s}\n`).join(''));
    out.bundles.push(all);
  }
  return out;
}

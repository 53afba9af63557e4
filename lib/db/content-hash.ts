// Content hashes of compiled service directories: one digest per file (scripts, data/, env/, template/, ...), read asynchronously in batches.
//
// Decision: hashes are computed when an update is planned, not stored by `rc compile` (the db
// format stays as it is, and dbs compiled before this work can be updated). Reading is async
// (fs/promises) and BATCH services at a time, so hashing 10,000 service directories never blocks
// the daemon's event loop (status queries are answered meanwhile).
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './db.js';

/** A service directory's files: relative path → digest of its kind, mode bits that matter and content. */
export type FileDigests = ReadonlyMap<string, string>;

/** Service directories hashed at once. */
const BATCH = 64;

const sha = (parts: (string | Buffer)[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 32);
};

/** Every file under `dir` (recursively), sorted by path; a missing dir has none. */
export async function hashTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(join(dir, rel))).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const path = join(dir, r);
      const st = await lstat(path);
      if (st.isDirectory()) await walk(r);
      else if (st.isSymbolicLink()) out.set(r, sha(['link\0', await readlink(path)]));
      // The executable bit changes how a file runs; other mode bits do not.
      else if (st.isFile()) out.set(r, sha([(st.mode & 0o111) !== 0 ? 'exec\0' : 'file\0', await readFile(path)]));
      else out.set(r, sha(['other\0', String(st.mode & 0o170000)]));
    }
  };
  await walk('');
  return out;
}

/** The file digests of every atomic service of `db`, by index. Async, BATCH directories at a time. */
export async function serviceDigests(db: Db): Promise<FileDigests[]> {
  const out: FileDigests[] = new Array<FileDigests>(db.size);
  for (let start = 0; start < db.size; start += BATCH) {
    const end = Math.min(db.size, start + BATCH);
    const batch: Promise<void>[] = [];
    for (let i = start; i < end; i++) batch.push(hashTree(db.servicedir(i)).then((m) => void (out[i] = m)));
    await Promise.all(batch);
  }
  return out;
}

/** The paths whose digest differs (or that exist on one side only), sorted. */
export function changedFiles(a: FileDigests, b: FileDigests): string[] {
  const out: string[] = [];
  for (const [path, digest] of a) if (b.get(path) !== digest) out.push(path);
  for (const path of b.keys()) if (!a.has(path)) out.push(path);
  return out.sort();
}

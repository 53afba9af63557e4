// Floor for benchmarks/compile.ts: a bare Node script doing the file-system work of `rc compile` with no checking.
// Usage: node compile-bare.js OUT SRC. Reads every definition (its listing, every file, every `.d/` listing),
// then writes OUT/servicedirs/NAME/ for each oneshot and longrun (a longrun's run copied with mode 0755) and
// a JSON index, fsynced, as rc does. What rc compile costs above this is its own work (checks, index, diagnostics).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

interface Definition {
  name: string;
  type: string;
  files: Map<string, string>;
  lists: Map<string, string[]>;
}

function readDefinition(src: string, name: string): Definition {
  const dir = join(src, name);
  const files = new Map<string, string>();
  const lists = new Map<string, string[]>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) lists.set(e.name, readdirSync(join(dir, e.name)));
    else files.set(e.name, readFileSync(join(dir, e.name), 'latin1'));
  }
  return { name, type: (files.get('type') ?? '').trim(), files, lists };
}

const [out, src] = process.argv.slice(2) as [string, string];
const defs = readdirSync(src)
  .filter((n) => !n.startsWith('.'))
  .sort()
  .map((n) => readDefinition(src, n));
mkdirSync(join(out, 'servicedirs'), { recursive: true });
for (const d of defs) {
  if (d.type === 'bundle') continue;
  const dir = join(out, 'servicedirs', d.name);
  mkdirSync(dir);
  const run = d.files.get('run');
  if (run !== undefined) writeFileSync(join(dir, 'run'), run, { encoding: 'latin1', mode: 0o755 });
}
const fd = openSync(join(out, 'db.json'), 'w');
writeSync(fd, JSON.stringify(defs.map((d) => ({ name: d.name, type: d.type, files: [...d.files.keys()], lists: Object.fromEntries(d.lists) }))));
fsyncSync(fd);
closeSync(fd);

// `npm run bench`: runs every area's benchmark (or those named on the command line) and prints a table.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.js';

const AREAS = ['compile', 'client', 'supervise', 'spawn', 'oneshot', 'engine-plan', 'engine', 'log', 'pid1', 'update', 'health', 'http', 'export', 'anchors'] as const;

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const areas = wanted.length > 0 ? AREAS.filter((a) => wanted.includes(a)) : AREAS;
  let failed = false;
  for (const area of areas) {
    const file = join(here, `${area}.js`);
    if (!existsSync(file)) continue;
    process.stdout.write(`\n== ${area} ==\n`);
    try {
      const mod = (await import(file)) as { run: () => Promise<BenchResult[]> };
      for (const r of await mod.run()) {
        const value = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(2);
        process.stdout.write(`${r.name.padEnd(58)} ${value.padStart(10)} ${r.unit.padEnd(6)} ${r.target ? `(target ${r.target})` : ''}\n`);
      }
    } catch (e) {
      failed = true;
      process.stderr.write(`benchmark ${area} failed: ${(e as Error).stack ?? String(e)}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

await main();

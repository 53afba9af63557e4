// Paths tests need: the repo root (mocha runs there), fixtures, and the built CLI next to this file.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** The build output root (dist/ or .build/NAME/): this file is OUT/test/helpers/paths.js. */
export const outRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The repository root: mocha is started there. */
export const repoRoot = process.cwd();
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
export const sourceDbDir = join(repoRoot, 'source-db');
/** The compiled CLI entry point of this build. */
export const rcBin = join(outRoot, 'cli', 'rc.js');

/** A fresh temp dir; call the returned cleanup in afterEach. */
export function tempDir(prefix = 'rc-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  // Retries: a daemon's last asynchronous write may still land while the folder is being removed (ENOTEMPTY).
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }) };
}

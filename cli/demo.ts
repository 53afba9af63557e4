#!/usr/bin/env node
// `npm start`: compile source-db/demo into a temp folder and boot it in the foreground (no root), after a banner of what to try.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { compileToDir } from '../lib/compile/index.js';
import { ExitCode } from '../lib/core/index.js';
import { renderDiagnostics, wantColor } from './commands/print-diagnostics.js';

/** dist/cli, where this file and the rc binary (rc-fast.js, as installed by npm) are once built. */
const here = dirname(fileURLToPath(import.meta.url));
const rcEntry = join(here, 'rc-fast.js');

/** source-db/demo of the checkout this build belongs to (dist/cli/ → ../../; any build dir works). */
function findDemoSource(): string {
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'source-db', 'demo'))) return join(dir, 'source-db', 'demo');
    if (dirname(dir) === dir) return resolve(here, '..', '..', 'source-db', 'demo');
  }
}
const demoSource = findDemoSource();
const DEFAULT_PORT = 8787;

const say = (text: string): void => void process.stderr.write(`${text}\n`);

/** `rc` when the rc on PATH is this one, else `node /abs/dist/cli/rc-fast.js`. */
function rcCommand(): string {
  const onPath = (process.env['PATH'] ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, 'rc'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (onPath) {
    const help = spawnSync('rc', ['--help'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    if (help.stdout?.includes('s6-rc compatible')) return 'rc';
  }
  return `node ${rcEntry}`;
}

/** Resolves true when 127.0.0.1:PORT can be listened on (so the API will be able to). */
function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

/**
 * The source to compile: the demo as it is, or (DEMO_API_PORT set) a copy whose API readiness
 * probe asks that port (api/ready-http holds a fixed URL).
 */
function sourceFor(port: number, dir: string): string {
  if (port === DEFAULT_PORT) return demoSource;
  const copy = join(dir, 'source');
  cpSync(demoSource, copy, { recursive: true });
  writeFileSync(join(copy, 'api', 'ready-http'), `http://127.0.0.1:${port}/health\n`);
  return copy;
}

function banner(live: string, port: number, kept: boolean): string {
  const rc = rcCommand();
  return [
    '',
    'rc demo: a data store (ready through notification-fd), a migration (oneshot), an HTTP API',
    '(ready through ready-http) and its logger (the api-pipeline into rc log).',
    `  live dir: ${live}${kept ? '' : '   (removed when the demo stops)'}`,
    '',
    'From a second terminal, try:',
    `  ${rc} status --live ${live}`,
    `  curl -s 127.0.0.1:${port}/notes`,
    `  ${rc} change maintenance --live ${live}     # api and its logger stop, migrate's down runs; the store stays`,
    `  ${rc} change default --live ${live}         # migrate's up runs again; api comes back once /health answers`,
    `  ${rc} logs api --live ${live}`,
    '(or `export RC_LIVE=' + live + '` and leave out --live)',
    '',
    'Ctrl-C here stops everything in reverse dependency order.',
    '',
  ].join('\n');
}

async function runDemo(opts: { dir?: string }): Promise<number> {
  const port = Number(process.env['DEMO_API_PORT'] ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    say(`rc demo: DEMO_API_PORT must be a TCP port, got '${process.env['DEMO_API_PORT']}'`);
    return ExitCode.usage;
  }
  if (!(await portFree(port))) {
    say(`rc demo: 127.0.0.1:${port} is already in use (another demo running?); set DEMO_API_PORT to use another port`);
    return ExitCode.system;
  }
  const dir = opts.dir === undefined ? mkdtempSync(join(tmpdir(), 'rc-demo-')) : resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  try {
    const compiled = join(dir, 'compiled');
    const out = compileToDir(compiled, [sourceFor(port, dir)], { force: true });
    process.stderr.write(renderDiagnostics(out.diagnostics, 1, wantColor(process.stderr)));
    if (!out.ok) return ExitCode.failed;
    const live = join(dir, 'live');
    say(banner(live, port, opts.dir !== undefined));
    const [{ runBoot }, { processPort }] = await Promise.all([import('../lib/boot/index.js'), import('./commands/boot-port.js')]);
    return await runBoot({
      live,
      db: compiled,
      timeout: 0,
      killGrace: 3000,
      jobs: 0,
      logFormat: 'plain',
      onFail: 'warn',
      command: [],
      rcEntry,
    }, processPort());
  } finally {
    if (opts.dir === undefined) {
      rmSync(dir, { recursive: true, force: true });
      say(`rc demo: removed ${dir}`);
    }
  }
}

const program = new Command('npm start')
  .description('boot the demo stack (source-db/demo) in the foreground, with a live dir in a temp folder (no root needed)')
  .option('--dir <dir>', 'use (and keep) this folder for the compiled db and the live dir instead of a fresh temp folder')
  .addHelpText('after', '\nEnvironment: DEMO_API_PORT (default 8787) moves the API.\n\nExamples:\n  npm start\n  npm start -- --dir /tmp/my-demo\n  DEMO_API_PORT=9000 npm start')
  .exitOverride();

let code: number;
try {
  program.parse(process.argv);
  code = await runDemo(program.opts<{ dir?: string }>());
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  code = e.exitCode === 0 ? 0 : ExitCode.usage;
}
await new Promise<void>((r) => process.stdout.write('', () => r()));
await new Promise<void>((r) => process.stderr.write('', () => r()));
process.exit(code);

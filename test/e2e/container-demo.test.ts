// End to end: what `npm start` runs (dist/cli/demo.js): banner, the demo stack up, Ctrl-C → reverse-order shutdown, exit 0, temp folder removed.
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { rcBin } from '../helpers/paths.js';
import { freePort } from '../integration/pid1/demo-procs.js';
import { processesUnder, until } from './harness.js';

const demoJs = join(dirname(rcBin), 'demo.js');

function rcJson(args: string[]): Promise<unknown> {
  return new Promise((resolve) =>
    execFile(process.execPath, [rcBin, ...args], (e, stdout) => {
      try {
        resolve(e ? undefined : JSON.parse(stdout));
      } catch {
        resolve(undefined);
      }
    }),
  );
}

describe('e2e container: the demo (npm start)', function () {
  this.timeout(60_000);
  let demo: ChildProcess | null = null;
  let dir: string | null = null;

  afterEach(async () => {
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      demo.kill('SIGKILL');
      await new Promise((r) => demo!.once('exit', r));
    }
    if (dir) {
      for (const pid of processesUnder(dir)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
    demo = dir = null;
  });

  it('prints the banner, brings the stack up, and on SIGINT stops it in reverse order, exits 0, removes its folder', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [demoJs], { env: { ...process.env, DEMO_API_PORT: String(port), RC_LIVE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    demo = child;
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

    const live = await until(`the banner (output: ${out})`, () => /live dir: (\S+)/.exec(out)?.[1]);
    dir = dirname(live);
    for (const cmd of ['status', 'change maintenance', 'change default', 'logs api']) {
      expect(out).to.match(new RegExp(`(rc|node \\S+/rc-fast\\.js) ${cmd} --live ${live}`));
    }
    expect(out).to.include(`curl -s 127.0.0.1:${port}/notes`);

    type Row = { name: string; state: string; up: boolean };
    const states = async () => {
      const s = (await rcJson(['status', '--json', '--live', live])) as { services: Row[] } | undefined;
      return s ? Object.fromEntries(s.services.map((r) => [r.name, `${r.state}/${r.up ? 'up' : 'down'}`])) : {};
    };
    let last: Record<string, string> = {};
    for (const deadline = Date.now() + 30_000; ; ) {
      last = await states();
      if (last['api'] === 'ready/up' && last['store'] === 'ready/up' && last['migrate'] === 'up/up' && last['api-log'] === 'up/up') break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the demo did not come up: ${JSON.stringify(last)}\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const notes = (await (await fetch(`http://127.0.0.1:${port}/notes`)).json()) as { text: string }[];
    expect(notes.length).to.be.greaterThan(0);

    child.kill('SIGINT');
    expect(await exited, out).to.equal(0);
    const lines = out.split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const order = [at(/^rc: stopping api$/), at(/^migrate\s*\|.*rolled back 1/), at(/^rc: stopping store$/), at(/^rc: every service is down; exiting with code 0$/)];
    expect(order.every((i) => i >= 0), out).to.equal(true);
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    // The log pipeline wrote the API's access log through rc log.
    expect(out).to.not.include('rc not found');
    expect(existsSync(dir), 'the temp folder is removed').to.equal(false);
    expect(processesUnder(dir)).to.deep.equal([]);
  });

  it('--help describes the options; a busy port is a clear error (exit 111)', async () => {
    const run = (args: string[], env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number; out: string }>((resolve) =>
        execFile(process.execPath, [demoJs, ...args], { env: { ...process.env, ...env } }, (e, stdout, stderr) =>
          resolve({ code: e ? Number((e as { code?: number }).code) : 0, out: stdout + stderr }),
        ),
      );
    const help = await run(['--help'], {});
    expect(help.code).to.equal(0);
    expect(help.out).to.include('--dir <dir>');
    expect(help.out).to.include('DEMO_API_PORT');
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    const busy = await run([], { DEMO_API_PORT: String(port) });
    srv.close();
    expect(busy.code).to.equal(111);
    expect(busy.out).to.include(`127.0.0.1:${port} is already in use`);
  });
});

// The control socket: server and client over a real socket, errors, oversized requests.
import { expect } from 'chai';
import { connect } from 'node:net';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connectControl } from '../../../lib/control/client.js';
import { ControlServer, resultReply } from '../../../lib/control/server.js';
import { MAX_REQUEST_BYTES, type Request } from '../../../lib/control/protocol.js';
import { tempDir } from '../../helpers/paths.js';

/** Send raw bytes and collect reply lines until the server closes or `count` lines arrived. */
function raw(path: string, data: string | Buffer, count: number): Promise<{ lines: unknown[]; closed: boolean }> {
  return new Promise((resolve) => {
    const s = connect(path);
    let buf = '';
    const lines: unknown[] = [];
    const finish = (closed: boolean) => {
      s.destroy();
      resolve({ lines, closed });
    };
    s.on('data', (c) => {
      buf += c.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
      if (lines.length >= count) finish(false);
    });
    s.on('close', () => finish(true));
    s.on('error', () => undefined);
    s.write(data);
  });
}

describe('control socket (server + client)', () => {
  let dir: { path: string; cleanup: () => void };
  let server: ControlServer;
  let path: string;
  const seen: Request[] = [];

  beforeEach(async () => {
    dir = tempDir();
    path = join(dir.path, 'control');
    seen.length = 0;
    server = new ControlServer({
      path,
      handler: (r, conn) => {
        seen.push(r);
        if (r.op === 'halt') throw new Error('boom');
        if (r.op === 'wait') return Promise.reject(new Error('async boom'));
        conn.send(resultReply(r.id, 0, { names: [r.op] }));
      },
    });
    expect((await server.listen()).ok).to.equal(true);
  });

  afterEach(async () => {
    await server.close();
    dir.cleanup();
  });

  it('creates the socket with mode 0600', () => {
    expect(statSync(path).mode & 0o777).to.equal(0o600);
  });

  it('answers a client call with its result', async () => {
    const c = await connectControl(dir.path);
    if (!c.ok) throw new Error(c.error.message);
    const reply = await c.value.call({ op: 'status' });
    c.value.close();
    expect(reply).to.deep.include({ type: 'result', exitCode: 0, data: { names: ['status'] } });
  });

  it('replies with errors to malformed and unknown requests and keeps the connection', async () => {
    const r = await raw(path, 'garbage\n{"v":1,"id":2,"op":"nope"}\n{"v":1,"id":3,"op":"status"}\n', 3);
    expect(r.closed).to.equal(false);
    expect(r.lines[0]).to.deep.include({ type: 'error', id: null, exitCode: 100 });
    expect(r.lines[1]).to.deep.include({ type: 'error', id: 2, exitCode: 100 });
    expect(r.lines[2]).to.deep.include({ type: 'result', id: 3 });
  });

  it('rejects an oversized request and closes only that client', async () => {
    const c = await connectControl(dir.path);
    if (!c.ok) throw new Error(c.error.message);
    const r = await raw(path, Buffer.alloc(MAX_REQUEST_BYTES + 10, 'x'), 1);
    expect(r.lines[0]).to.deep.include({ type: 'error', exitCode: 100 });
    expect((r.lines[0] as { message: string }).message).to.match(/too long/);
    const reply = await c.value.call({ op: 'list' });
    c.value.close();
    expect(reply).to.deep.include({ type: 'result' });
  });

  it('turns a throwing handler into an internal-error reply', async () => {
    const r = await raw(path, '{"v":1,"id":9,"op":"halt"}\n{"v":1,"id":10,"op":"wait","names":["a"]}\n', 2);
    expect(r.lines).to.have.length(2);
    for (const l of r.lines) expect(l).to.deep.include({ type: 'error', exitCode: 111 });
  });

  it('reports "no rc daemon" when nothing listens', async () => {
    const other = tempDir();
    try {
      const c = await connectControl(other.path);
      expect(c.ok).to.equal(false);
      if (!c.ok) expect(c.error).to.deep.equal({ kind: 'no-daemon', message: `no rc daemon on ${other.path} (start one with \`rc boot\`)` });
    } finally {
      other.cleanup();
    }
  });

  it('fails pending calls with exit 111 when the daemon goes away', async () => {
    const s2dir = tempDir();
    let arrived!: () => void;
    const received = new Promise<void>((r) => (arrived = r));
    const s2 = new ControlServer({ path: join(s2dir.path, 'control'), handler: () => arrived() });
    await s2.listen();
    const c = await connectControl(s2dir.path);
    if (!c.ok) throw new Error(c.error.message);
    const pending = c.value.call({ op: 'status' });
    await received;
    await s2.close();
    const reply = await pending;
    expect(reply).to.deep.include({ type: 'error', exitCode: 111 });
    s2dir.cleanup();
  });

  it('at close removes its own socket file, and leaves one that replaced it alone', async () => {
    const d = tempDir();
    try {
      const own = new ControlServer({ path: join(d.path, 'control'), handler: () => undefined });
      expect((await own.listen()).ok).to.equal(true);
      expect(readdirSync(d.path)).to.deep.equal(['control']);
      await own.close();
      expect(readdirSync(d.path)).to.deep.equal([]);
      const old = new ControlServer({ path: join(d.path, 'control'), handler: () => undefined });
      await old.listen();
      // What a new daemon on a replaced live dir does: its socket under the same path.
      const next = new ControlServer({ path: join(d.path, 'control'), handler: (r, conn) => void conn.send(resultReply(r.id, 0, { names: ['next'] })) });
      await next.listen();
      await old.close();
      const c = await connectControl(d.path);
      if (!c.ok) throw new Error(c.error.message);
      expect(await c.value.call({ op: 'status' })).to.deep.include({ type: 'result', data: { names: ['next'] } });
      c.value.close();
      await next.close();
    } finally {
      d.cleanup();
    }
  });
});

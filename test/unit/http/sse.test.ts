// SSE streams and the hub: frames in order with increasing ids, a client that stops reading is dropped, the snapshot first.
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { SseHub } from '../../../lib/http/sse-hub.js';
import { SseStream } from '../../../lib/http/sse.js';

/** A response whose socket never drains when `stalled`: writableLength grows with every write. */
class FakeResponse extends EventEmitter {
  written = '';
  writableLength = 0;
  stalled = false;
  destroyed = false;
  ended = false;
  writeHead(): this {
    return this;
  }
  flushHeaders(): void {}
  write(text: string): boolean {
    this.written += text;
    if (this.stalled) this.writableLength += Buffer.byteLength(text);
    return true;
  }
  end(): void {
    this.ended = true;
    this.emit('close');
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

const stream = (res: FakeResponse, max = 1000) => new SseStream(res as unknown as ServerResponse, { maxBufferedBytes: max, heartbeatMs: 60_000 });
const message = (n: number) => ({ kind: 'event' as const, event: { type: 'daemon-message' as const, level: 'info' as const, message: `m${n}` } });

describe('http SSE', () => {
  it('sends the snapshot first, then every event once, ids increasing', () => {
    const hub = new SseHub(4);
    const res = new FakeResponse();
    hub.publish(message(0));
    hub.add(stream(res), { kind: 'snapshot', daemon: {} as never, services: [] });
    hub.publish(message(1));
    hub.publish(message(2));
    const frames = res.written.split('\n\n').filter((f) => f !== '');
    expect(frames.map((f) => /event: (\w+)/.exec(f)![1])).to.deep.equal(['snapshot', 'event', 'event']);
    expect(frames.map((f) => Number(/id: (\d+)/.exec(f)![1]))).to.deep.equal([1, 2, 3]);
    expect(JSON.parse(/data: (.*)/.exec(frames[2]!)![1]!)).to.deep.equal(message(2));
    hub.closeAll();
    expect(res.ended).to.equal(true);
    expect(hub.size).to.equal(0);
  });

  it('drops a client whose buffer is full; the others keep receiving', () => {
    const hub = new SseHub(4);
    const slow = new FakeResponse();
    const fast = new FakeResponse();
    slow.stalled = true;
    hub.add(stream(slow, 300), { kind: 'snapshot', daemon: {} as never, services: [] });
    hub.add(stream(fast, 300), { kind: 'snapshot', daemon: {} as never, services: [] });
    for (let i = 0; i < 20; i++) hub.publish(message(i));
    expect(slow.destroyed).to.equal(true);
    expect(hub.size).to.equal(1);
    expect(fast.written).to.include('m19');
    hub.closeAll();
  });

  it('refuses clients beyond its limit', () => {
    const hub = new SseHub(1);
    expect(hub.add(stream(new FakeResponse()), { kind: 'snapshot', daemon: {} as never, services: [] })).to.equal(true);
    expect(hub.full).to.equal(true);
    const extra = stream(new FakeResponse());
    expect(hub.add(extra, { kind: 'snapshot', daemon: {} as never, services: [] })).to.equal(false);
    extra.end();
    hub.closeAll();
  });
});

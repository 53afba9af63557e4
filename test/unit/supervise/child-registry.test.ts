// pid1/ChildRegistry: the children Node spawned, known until Node reports their exit.
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { ChildRegistry } from '../../../lib/supervise/child-registry.js';

const fakeChild = (pid: number | undefined) => Object.assign(new EventEmitter(), { pid });

describe('pid1/ChildRegistry', () => {
  it('knows a tracked child until Node reports its exit', () => {
    const registry = new ChildRegistry();
    const { track, isOwnChild } = registry;
    const child = track(fakeChild(42));
    expect(isOwnChild(42)).to.equal(true);
    expect(registry.size).to.equal(1);
    child.emit('exit', 0, null);
    expect(isOwnChild(42)).to.equal(false);
    expect(registry.size).to.equal(0);
  });

  it('ignores a child that never got a pid (spawn failed)', () => {
    const registry = new ChildRegistry();
    registry.track(fakeChild(undefined));
    expect(registry.size).to.equal(0);
  });

  it('add/delete/has for pids registered by hand', () => {
    const registry = new ChildRegistry();
    registry.add(7);
    expect(registry.has(7)).to.equal(true);
    registry.delete(7);
    expect(registry.has(7)).to.equal(false);
  });

  it('two registries are independent', () => {
    const a = new ChildRegistry();
    const b = new ChildRegistry();
    a.add(1);
    expect(b.isOwnChild(1)).to.equal(false);
  });
});

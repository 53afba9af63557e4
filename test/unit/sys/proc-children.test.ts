// pid1/proc-children: parsing /proc stat and finding zombie children.
import { expect } from 'chai';
import { allZombies, childrenByScan, childrenFromTasks, zombieChildren } from '../../../lib/sys/proc-children.js';
import { FakeProc } from '../boot/fake-proc.js';

describe('pid1/proc-children', () => {
  it('collects children from every thread of the parent', () => {
    const proc = new FakeProc(100).add(200, 'S', { tid: 100 }).add(201, 'Z', { tid: 101 }).add(202, 'Z', { tid: 102 });
    expect(childrenFromTasks(100, proc)?.sort()).to.deep.equal([200, 201, 202]);
  });

  it('returns null without children files, and the scan finds the same children', () => {
    const proc = new FakeProc(100).add(200).add(201, 'Z').add(300, 'Z', { ppid: 999 });
    proc.childrenFiles = false;
    expect(childrenFromTasks(100, proc)).to.equal(null);
    expect(childrenByScan(100, proc).sort()).to.deep.equal([200, 201]);
  });

  it('lists only zombie children, sorted', () => {
    const proc = new FakeProc(100).add(205, 'Z').add(201, 'Z', { tid: 101 }).add(202, 'S').add(300, 'Z', { ppid: 7 });
    expect(zombieChildren(100, proc)).to.deep.equal([201, 205]);
    proc.childrenFiles = false;
    expect(zombieChildren(100, proc)).to.deep.equal([201, 205]);
  });

  it('allZombies sees every zombie in /proc', () => {
    const proc = new FakeProc(100).add(201, 'Z').add(300, 'Z', { ppid: 7 }).add(301, 'R');
    expect(allZombies(proc).map((s) => s.pid).sort()).to.deep.equal([201, 300]);
  });
});

describe('pid1/proc-children zombieChildren(skip)', () => {
  it("does not read the stat of children it is told to skip", () => {
    const proc = new FakeProc(100).add(201, 'Z').add(202, 'Z').add(203, 'S');
    const read: string[] = [];
    const spy = { readText: (p: string) => (read.push(p), proc.readText(p)), listDir: (p: string) => proc.listDir(p) };
    expect(zombieChildren(100, spy, (pid) => pid !== 202)).to.deep.equal([202]);
    expect(read.filter((p) => p.endsWith('/stat'))).to.deep.equal(['/proc/202/stat']);
  });
});

// Test double: an in-memory /proc with one parent, its threads, and child processes in given states.
import type { ProcFs } from '../../../lib/sys/proc-children.js';
import type { ProcessLibc, WaitOutcome } from '../../../lib/sys/libc.js';

export class FakeProc implements ProcFs {
  readonly procs = new Map<number, { ppid: number; state: string; comm: string; tid?: number }>();
  threads: number[];
  childrenFiles = true;

  constructor(readonly parent: number, threads = 3) {
    this.threads = Array.from({ length: threads }, (_, i) => parent + i);
  }

  add(pid: number, state = 'S', opts: { ppid?: number; comm?: string; tid?: number } = {}): this {
    this.procs.set(pid, { ppid: opts.ppid ?? this.parent, state, comm: opts.comm ?? 'sh', tid: opts.tid });
    return this;
  }

  readText(path: string): string | null {
    const stat = /^\/proc\/(\d+)\/stat$/.exec(path);
    if (stat) {
      const pid = Number(stat[1]);
      if (pid === this.parent) return `${pid} (node) S 0 ${pid} ${pid} 0 -1`;
      const p = this.procs.get(pid);
      return p ? `${pid} (${p.comm}) ${p.state} ${p.ppid} ${pid} ${pid} 0 -1 4194304` : null;
    }
    const children = /^\/proc\/(\d+)\/task\/(\d+)\/children$/.exec(path);
    if (children && this.childrenFiles && Number(children[1]) === this.parent) {
      const tid = Number(children[2]);
      const mine = [...this.procs].filter(([, p]) => p.ppid === this.parent && (p.tid ?? this.parent) === tid);
      return mine.map(([pid]) => `${pid} `).join('');
    }
    return null;
  }

  listDir(path: string): string[] | null {
    if (path === '/proc') return [String(this.parent), ...[...this.procs.keys()].map(String), 'self', 'sys'];
    if (path === `/proc/${this.parent}/task`) return this.threads.map(String);
    return null;
  }
}

/** A libc whose waitpid reaps zombies of a FakeProc and records every call. */
export class FakeLibc implements ProcessLibc {
  readonly waited: number[] = [];
  subreaperErrno = 0;
  subreaper = false;
  constructor(private readonly proc: FakeProc, private readonly exitCode = 0) {}
  waitNoHang(pid: number): WaitOutcome {
    this.waited.push(pid);
    const p = this.proc.procs.get(pid);
    if (!p || p.ppid !== this.proc.parent) return { kind: 'gone', errno: 10 };
    if (p.state !== 'Z') return { kind: 'running' };
    this.proc.procs.delete(pid);
    return { kind: 'reaped', pid, status: { code: this.exitCode, signal: null } };
  }
  setChildSubreaper(): number {
    if (this.subreaperErrno === 0) this.subreaper = true;
    return this.subreaperErrno;
  }
  isChildSubreaper(): boolean {
    return this.subreaper;
  }
}

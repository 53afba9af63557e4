// A DaemonRig that also compiles the next database: a second tree as data, compiled to ROOT/NAME for `rc update`.
import { join } from 'node:path';
import { compileToDir } from '../../lib/compile/index.js';
import { fixturesDir } from '../helpers/paths.js';
import { DaemonRig, type DaemonSvc, type Tree } from './daemon-harness.js';
import { writeTree } from './harness.js';

const PUPPET = join(fixturesDir, 'daemon', 'puppet.cjs');
const ONESHOT = join(fixturesDir, 'daemon', 'oneshot.sh');

/** A longrun run body the test controls (the puppet) under a given name: two services with the same body run the same. */
export const puppetRun = (rig: DaemonRig, name: string): string => `exec node ${PUPPET} ${name} ${rig.events} ${rig.control}`;

export class UpdateRig extends DaemonRig {
  /** Write `tree` to ROOT/NAME-src and compile it to ROOT/NAME; returns the compiled path. */
  compileNext(name: string, tree: Tree): string {
    const src = join(this.root, `${name}-src`);
    const withReady = Object.fromEntries(Object.entries(tree).map(([n, s]) => [n, s.ready ? { ...s, files: { 'notification-fd': '3\n', ...s.files } } : s]));
    writeTree<DaemonSvc>(src, withReady, {
      run: (n, s) => `exec node ${PUPPET} ${n} ${this.events} ${this.control}${s.ready ? ' 3' : ''}`,
      up: (n) => `/bin/sh ${ONESHOT} ${n} up ${this.events} ${this.control}`,
      down: (n) => `/bin/sh ${ONESHOT} ${n} down ${this.events} ${this.control}`,
    });
    const out = join(this.root, name);
    const r = compileToDir(out, [src]);
    if (!r.ok) throw new Error(`test tree does not compile: ${JSON.stringify(r.diagnostics)}`);
    return out;
  }

  /** The pid of each service that has one, by name. */
  async pids(): Promise<Record<string, number | null>> {
    return Object.fromEntries((await this.status()).services.map((s) => [s.name, s.pid]));
  }
}

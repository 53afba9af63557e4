// Misspelled and misplaced files in a definition: warnings with a did-you-mean, --strict makes them errors.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compileSources, compileToDir } from '../../../lib/compile/index.js';
import type { Diagnostic } from '../../../lib/core/index.js';
import { sourceDbDir, tempDir } from '../../helpers/paths.js';
import { bundle, longrun, oneshot, writeTree, type TreeSpec } from './tree.js';

const shown = (d: Diagnostic) => `${d.file.replace(/^.*\/src\//, '')}: ${d.severity}: ${d.message}${d.hint ? ` | ${d.hint}` : ''}`;

describe('compile: misspelled and misplaced files', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  const check = (spec: TreeSpec, strict = false) => compileSources([writeTree(join(tmp.path, 'src'), spec)], { strict });
  const warnings = (spec: TreeSpec) => check(spec).diagnostics.filter((d) => d.severity !== 'info').map(shown);

  it('warns about names one typo away from a known file, with a did-you-mean, and still compiles', () => {
    const out = check({
      ...longrun('a', [], { 'dependancies.d/': null, notification_fd: '3\n', timeout_up: '10\n', 'Restart-Delay': '5\n' }),
      ...oneshot('o', 'true\n'),
      'o/timeout_down': '1\n',
      ...bundle('b', ['a']),
      'b/content.d/': null,
    });
    expect(out.index, 'warnings do not fail').to.not.equal(undefined);
    expect(out.diagnostics.map(shown)).to.deep.equal([
      'a/Restart-Delay: warning: unknown file Restart-Delay in longrun a: ignored | did you mean restart-delay?',
      'a/dependancies.d: warning: unknown file dependancies.d in longrun a: ignored | did you mean dependencies.d?',
      'a/notification_fd: warning: unknown file notification_fd in longrun a: ignored | did you mean notification-fd?',
      'a/timeout_up: warning: unknown file timeout_up in longrun a: ignored | did you mean timeout-up?',
      'b/content.d: warning: unknown file content.d in bundle b: ignored | did you mean contents.d?',
      'o/timeout_down: warning: unknown file timeout_down in oneshot o: ignored | did you mean timeout-down?',
    ]);
  });

  it('warns about a run in a oneshot, unless its up calls it (s6-overlay convention)', () => {
    expect(warnings({ ...oneshot('o', 'true\n'), 'o/run': '#!/bin/sh\n' })).to.deep.equal([
      'o/run: warning: run is ignored in a oneshot: its up file is what runs | make it a longrun (type), or call the script from up',
    ]);
    expect(warnings({ ...oneshot('o', '/etc/s6-overlay/s6-rc.d/o/run\n'), 'o/run': '#!/bin/sh\n' })).to.deep.equal([]);
    expect(warnings({ ...oneshot('o', 'with-contenv if { ./run } true\n'), 'o/run': '#!/bin/sh\n' })).to.deep.equal([]);
  });

  it('warns about readiness and other longrun files on a oneshot, and oneshot files on a longrun', () => {
    const spec = { ...oneshot('o'), 'o/notification-fd': '3\n', 'o/ready-http': 'http://127.0.0.1/\n', 'o/finish': '', ...longrun('l', [], { up: 'true\n' }) };
    expect(warnings(spec)).to.deep.equal([
      'l/up: warning: up is ignored in a longrun: its run script is what runs | did you mean run, or type oneshot?',
      'o/finish: warning: finish is ignored in a oneshot: it applies to longruns | remove it, or make the service a longrun',
      'o/notification-fd: warning: notification-fd is ignored in a oneshot: readiness applies to longruns | a oneshot is up as soon as its up command exits 0',
      'o/ready-http: warning: ready-http is ignored in a oneshot: readiness applies to longruns | a oneshot is up as soon as its up command exits 0',
    ]);
  });

  it('stays silent on every known file, helper files, dot files and the log/ and nosetsid s6 leftovers', () => {
    const spec: TreeSpec = {
      ...longrun('l', ['o'], {
        finish: '', 'notification-fd': '3\n', 'lock-fd': '4\n', 'timeout-kill': '1\n', 'timeout-finish': '1\n', 'max-death-tally': '3\n',
        'down-signal': 'HUP\n', 'data/': null, 'env/': null, 'template/': null, 'timeout-up': '1\n', 'timeout-down': '1\n', 'flag-essential': '',
        'ready-cmd': 'true\n', 'ready-interval': '10\n', 'ready-timeout': '10\n', 'restart-delay': '10\n', 'log/': null, nosetsid: '',
        dependencies: 'o\n', 'run.sh': '', README: '', '.gitkeep': '', 'config.yaml': '',
      }),
      ...oneshot('o', 'true\n'), 'o/down': '', 'o/helper.sh': '', 'o/dependencies': '', 'o/timeout-up': '1\n',
      ...bundle('b', ['l']), 'b/contents': 'l\n', 'b/flag-essential': '',
    };
    expect(warnings(spec)).to.deep.equal([]);
  });

  it('keeps the example trees (s6-overlay layout, webapp, demo) free of warnings', () => {
    const s6 = join(sourceDbDir, 's6-overlay-example');
    for (const sources of [['s6-rc.d', 'user-bundles.d', 'overlay'].map((s) => join(s6, s)), [join(sourceDbDir, 'webapp')], [join(sourceDbDir, 'demo')]]) {
      expect(compileSources(sources, { strict: true }).diagnostics.filter((d) => d.severity !== 'info').map(shown), sources.join(' ')).to.deep.equal([]);
    }
  });

  it('--strict turns the warnings into errors and writes nothing', () => {
    const spec = { ...longrun('a', [], { notification_fd: '3\n' }) };
    const out = check(spec, true);
    expect(out.index).to.equal(undefined);
    expect(out.diagnostics.map(shown)).to.deep.equal([
      'a/notification_fd: error: unknown file notification_fd in longrun a: ignored (--strict) | did you mean notification-fd?',
    ]);
    const target = join(tmp.path, 'db');
    expect(compileToDir(target, [join(tmp.path, 'src')], { strict: true }).ok).to.equal(false);
    expect(existsSync(target)).to.equal(false);
    expect(compileToDir(target, [join(tmp.path, 'src')]).ok).to.equal(true);
  });
});

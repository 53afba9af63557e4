// The daemon's young generation stays at its smallest (issue 13: memory with 1,000 longruns), unless the user chose otherwise.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keepYoungGenerationSmall } from '../../../lib/boot/heap.js';

const heapModule = fileURLToPath(new URL('../../../lib/boot/heap.js', import.meta.url));

/** The new space's size (MiB) in a fresh Node after a burst of surviving objects, with or without the setting. */
function newSpaceAfterBurst(tune: boolean, nodeArgs: string[] = [], nodeOptions = ''): number {
  const script = `
    const { keepYoungGenerationSmall } = await import(${JSON.stringify(heapModule)});
    if (${tune}) keepYoungGenerationSmall();
    const keep = [];
    for (let i = 0; i < 300000; i++) keep.push({ i, s: 'x' + i });
    const v8 = await import('node:v8');
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(space.space_size / 1048576, keep.length);`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: nodeOptions };
  delete env['NODE_EXTRA_CA_CERTS'];
  const out = execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { env, encoding: 'utf8' });
  return Number(out.trim().split(' ')[0]);
}

describe('daemon heap: keepYoungGenerationSmall', () => {
  it('keeps the new space at its initial size through a burst that grows it by default', function () {
    this.timeout(20000);
    const grown = newSpaceAfterBurst(false);
    const kept = newSpaceAfterBurst(true);
    expect(grown, 'the burst grows the new space by default').to.be.greaterThan(4);
    expect(kept).to.be.at.most(2);
  });

  it('leaves a growth factor chosen in NODE_OPTIONS or node arguments alone', function () {
    this.timeout(20000);
    expect(keepYoungGenerationSmall(['--semi-space-growth-factor=4'], '')).to.equal(false);
    expect(keepYoungGenerationSmall([], '--max-old-space-size=100 --max_semi_space_size=32')).to.equal(false);
    expect(newSpaceAfterBurst(true, ['--semi-space-growth-factor=2'])).to.be.greaterThan(4);
    expect(newSpaceAfterBurst(true, [], '--max-semi-space-size=8')).to.be.greaterThan(4);
  });
});

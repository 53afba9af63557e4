// The CLI fast path: rc status / rc list without loading commander.
import { expect } from 'chai';
import { parseFast } from '../../../cli/commands/daemon-client-fast.js';

describe('cli fast path (rc status / rc list without commander)', () => {
  it('parses status and list with their flags', () => {
    expect(parseFast(['status'])).to.deep.equal({ cmd: 'status', json: false, names: [] });
    expect(parseFast(['status', '--json', 'db', '--live', '/x'])).to.deep.equal({ cmd: 'status', json: true, names: ['db'], live: '/x' });
    expect(parseFast(['list', '--up', '--live=/y', 'default'])).to.deep.equal({ cmd: 'list', filter: 'up', names: ['default'], live: '/y' });
    expect(parseFast(['list', '--down'])).to.deep.equal({ cmd: 'list', filter: 'down', names: [] });
  });

  it('leaves everything else to the full CLI', () => {
    for (const argv of [[], ['change', 'default'], ['status', '--help'], ['status', '-h'], ['list', '--json'], ['status', '--up'], ['list', '--up', '--down'], ['status', '--live']]) {
      expect(parseFast(argv), argv.join(' ')).to.equal(undefined);
    }
  });
});

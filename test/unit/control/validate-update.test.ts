// Validation of the control protocol's 'update' request.
import { expect } from 'chai';
import { parseRequest } from '../../../lib/control/validate.js';

const parse = (body: object) => parseRequest(JSON.stringify({ v: 1, id: 1, op: 'update', ...body }));

describe('control request validation: update', () => {
  it('fills the defaults for a compiled db, and takes sources and a conversion file', () => {
    expect(parse({ compiled: '/etc/rc/c2' })).to.deep.equal({ ok: true, value: { v: 1, id: 1, op: 'update', compiled: '/etc/rc/c2', dryRun: false, timeoutMs: 0, jobs: 0, noWait: false } });
    const r = parse({ source: ['/src/a', '/src/b'], convfile: '/etc/conv', dryRun: true });
    expect(r.ok && r.value).to.deep.include({ source: ['/src/a', '/src/b'], convfile: '/etc/conv', dryRun: true });
  });

  it('refuses relative paths, both or neither of compiled and source', () => {
    const message = (body: object) => {
      const r = parse(body);
      return r.ok ? '' : r.error.message;
    };
    expect(message({ compiled: 'rel/dir' })).to.equal("bad request: 'compiled' must be an absolute path");
    expect(message({ source: ['rel'] })).to.equal("bad request: 'source' must be absolute paths");
    expect(message({})).to.equal("bad request: give exactly one of 'compiled' and 'source'");
    expect(message({ compiled: '/a', source: ['/b'] })).to.equal("bad request: give exactly one of 'compiled' and 'source'");
    expect(message({ compiled: '/a', convfile: 'conv' })).to.equal("bad request: 'convfile' must be an absolute path");
  });
});

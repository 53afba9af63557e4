// Validation of control requests received by the daemon.
import { expect } from 'chai';
import { parseRequest } from '../../../lib/control/validate.js';

describe('control request validation', () => {
  it('fills defaults for a change request', () => {
    const r = parseRequest('{"v":1,"id":7,"op":"change","targets":["default"]}');
    expect(r).to.deep.equal({
      ok: true,
      value: { v: 1, id: 7, op: 'change', targets: ['default'], dryRun: false, force: false, timeoutMs: 0, jobs: 0, noWait: false },
    });
  });

  it('rejects malformed JSON and non-objects without an id', () => {
    expect(parseRequest('{nope')).to.deep.include({ ok: false });
    expect(parseRequest('[1]')).to.deep.equal({ ok: false, error: { id: null, message: 'malformed request: expected a JSON object' } });
    expect(parseRequest('{"v":1,"op":"status"}')).to.deep.equal({ ok: false, error: { id: null, message: "malformed request: 'id' must be an integer" } });
  });

  it("says the protocol version field is missing, not 'version undefined'", () => {
    const r = parseRequest('{"id":3,"op":"status"}');
    expect(r.ok).to.equal(false);
    const message = r.ok ? '' : r.error.message;
    expect(message).to.match(/'v' is missing/);
    expect(message).not.to.match(/undefined/);
    expect(r.ok ? null : r.error.id).to.equal(3);
  });

  it('names the id in errors once it could be read', () => {
    expect(parseRequest('{"v":1,"id":3,"op":"launch"}')).to.deep.equal({ ok: false, error: { id: 3, message: "bad request: unknown op 'launch'" } });
    expect(parseRequest('{"v":2,"id":4,"op":"status"}')).to.deep.include({ ok: false });
    const bad = parseRequest('{"v":1,"id":5,"op":"up","names":[]}');
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.error.message).to.match(/at least one/);
  });

  it('checks field types', () => {
    expect(parseRequest('{"v":1,"id":1,"op":"change","targets":["a"],"timeoutMs":-1}').ok).to.equal(false);
    expect(parseRequest('{"v":1,"id":1,"op":"change","targets":["a"],"force":"yes"}').ok).to.equal(false);
    expect(parseRequest('{"v":1,"id":1,"op":"svc","names":["a"],"commands":["z"]}').ok).to.equal(false);
    expect(parseRequest('{"v":1,"id":1,"op":"halt","code":256}').ok).to.equal(false);
    expect(parseRequest('{"v":1,"id":1,"op":"wait","names":["a"],"until":"ready"}').ok).to.equal(true);
    expect(parseRequest('{"v":1,"id":1,"op":"list","filter":"sideways"}').ok).to.equal(false);
  });

  it('accepts a wait until healthy, and names the accepted conditions for any other word', () => {
    expect(parseRequest('{"v":1,"id":1,"op":"wait","names":["db"],"until":"healthy","timeoutMs":500}')).to.deep.equal({
      ok: true,
      value: { v: 1, id: 1, op: 'wait', names: ['db'], until: 'healthy', timeoutMs: 500 },
    });
    const bad = parseRequest('{"v":1,"id":2,"op":"wait","names":["db"],"until":"Healthy"}');
    expect(bad.ok).to.equal(false);
    if (!bad.ok) {
      expect(bad.error.id).to.equal(2);
      expect(bad.error.message).to.include('until').and.to.include('healthy');
    }
    expect(parseRequest('{"v":1,"id":3,"op":"wait","names":[],"until":"healthy"}').ok).to.equal(false);
    expect(parseRequest('{"v":1,"id":4,"op":"wait","names":["db"],"until":true}').ok).to.equal(false);
  });
});

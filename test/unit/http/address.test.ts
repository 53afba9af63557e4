// --http ADDR:PORT parsing: loopback unless an address is given, IPv6 in brackets, errors that say how to write it.
import { expect } from 'chai';
import { parseHttpAddress, urlOf } from '../../../lib/http/address.js';

describe('http address (--http)', () => {
  it('listens on loopback when only a port is given', () => {
    expect(parseHttpAddress('9100')).to.deep.equal({ ok: true, value: { host: '127.0.0.1', port: 9100 } });
    expect(parseHttpAddress(':9100')).to.deep.equal({ ok: true, value: { host: '127.0.0.1', port: 9100 } });
  });

  it('takes an explicit IPv4, IPv6 or host name address', () => {
    expect(parseHttpAddress('0.0.0.0:80')).to.deep.equal({ ok: true, value: { host: '0.0.0.0', port: 80 } });
    expect(parseHttpAddress('[::1]:9100')).to.deep.equal({ ok: true, value: { host: '::1', port: 9100 } });
    expect(parseHttpAddress('localhost:0')).to.deep.equal({ ok: true, value: { host: 'localhost', port: 0 } });
    expect(urlOf({ host: '::1', port: 9100 })).to.equal('http://[::1]:9100/');
  });

  it('refuses bad ports and addresses, saying how to write one', () => {
    for (const bad of ['', 'abc', '65536', '1.2.3.4:', '::1:80', '[zz]:80', 'a b:80', '1.2.3.4:-1']) {
      const r = parseHttpAddress(bad);
      expect(r.ok, bad).to.equal(false);
      if (!r.ok) expect(r.error).to.match(/--http/).and.to.include('e.g. --http 9100');
    }
  });
});

// The bearer token: read from its file (errors name the file and the fix), compared in constant time.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBearer, readTokenFile } from '../../../lib/http/token.js';
import { tempDir } from '../../helpers/paths.js';

describe('http token', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('reads the first line of the file, trimmed', () => {
    const f = join(tmp.path, 'tok');
    writeFileSync(f, '  s3cret-token \nsecond line\n');
    expect(readTokenFile(f)).to.deep.equal({ ok: true, value: 's3cret-token' });
  });

  it('refuses a missing file and a short token, naming the file', () => {
    const missing = readTokenFile(join(tmp.path, 'nope'));
    expect(missing.ok).to.equal(false);
    if (!missing.ok) expect(missing.error).to.include('nope').and.to.include('ENOENT');
    const f = join(tmp.path, 'short');
    writeFileSync(f, 'abc\n');
    const short = readTokenFile(f);
    expect(short.ok).to.equal(false);
    if (!short.ok) expect(short.error).to.include('at least 8 characters');
  });

  it('checks Authorization: none, wrong, right, and disabled without a token', () => {
    expect(checkBearer('s3cret-token', undefined)).to.equal('missing');
    expect(checkBearer('s3cret-token', 'Basic abc')).to.equal('missing');
    expect(checkBearer('s3cret-token', 'Bearer s3cret-tokeN')).to.equal('wrong');
    expect(checkBearer('s3cret-token', 'Bearer s3cret')).to.equal('wrong');
    expect(checkBearer('s3cret-token', 'Bearer s3cret-token')).to.equal('ok');
    expect(checkBearer('s3cret-token', 'bearer  s3cret-token ')).to.equal('ok');
    expect(checkBearer(null, 'Bearer s3cret-token')).to.equal('disabled');
  });
});

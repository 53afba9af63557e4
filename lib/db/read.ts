// readDb: load and validate a compiled database directory; every failure is a value, never a crash.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { Db } from './db.js';
import { DB_INDEX_FILE, SERVICEDIRS, type DbIndex } from './types.js';
import { validateDbIndex } from './validate.js';

export interface DbError {
  /** 'invalid-db' → exit 4; 'system' (missing dir, permission) → exit 111. */
  code: 'invalid-db' | 'system';
  message: string;
}

const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;
const describe = (e: unknown): string => {
  const code = errnoOf(e);
  const text = (e as Error)?.message ?? String(e);
  // "ENOENT: no such file or directory, stat 'x'" → "ENOENT: no such file or directory"
  return code ? `${code}: ${text.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}` : text;
};

export function readDb(dir: string): Result<Db, DbError> {
  try {
    const st = statSync(dir);
    if (!st.isDirectory()) return err({ code: 'invalid-db', message: `${dir} is not a compiled database: not a directory` });
  } catch (e) {
    return err({ code: 'system', message: `unable to open compiled database ${dir}: ${describe(e)}` });
  }
  const file = join(dir, DB_INDEX_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') {
      return err({ code: 'invalid-db', message: `${dir} is not a compiled database: ${file} is missing (compile one with \`rc compile\`)` });
    }
    if (errnoOf(e) === 'EISDIR') return err({ code: 'invalid-db', message: `invalid compiled database: ${file} is a directory` });
    return err({ code: 'system', message: `unable to read ${file}: ${describe(e)}` });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const why = text.length === 0 ? 'the file is empty' : `${(e as Error).message} (corrupt or truncated?)`;
    return err({ code: 'invalid-db', message: `invalid compiled database ${file}: ${why}` });
  }
  const problem = validateDbIndex(value);
  if (problem !== undefined) return err({ code: 'invalid-db', message: `invalid compiled database ${file}: ${problem}` });
  try {
    if (!statSync(join(dir, SERVICEDIRS)).isDirectory()) throw new Error('not a directory');
  } catch {
    return err({ code: 'invalid-db', message: `invalid compiled database ${dir}: ${SERVICEDIRS}/ is missing` });
  }
  return ok(new Db(value as DbIndex, dir));
}

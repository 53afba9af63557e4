// The bearer token of changing requests: read from --http-token-file, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { err, ok, type Result } from '../core/result.js';

/** Read the token (first line, surrounding whitespace removed); an unreadable or empty file is an error naming it. */
export function readTokenFile(path: string): Result<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return err(`cannot read --http-token-file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; write the token into that file (e.g. head -c 32 /dev/urandom | base64 > ${path})`);
  }
  const token = (text.split('\n')[0] ?? '').trim();
  if (token.length < 8) return err(`--http-token-file ${path}: the token on its first line must have at least 8 characters; write a longer one (e.g. head -c 32 /dev/urandom | base64 > ${path})`);
  return ok(token);
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export type TokenCheck = 'ok' | 'disabled' | 'missing' | 'wrong';

/**
 * Check an Authorization header against the token. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function checkBearer(token: string | null, header: string | undefined): TokenCheck {
  if (token === null) return 'disabled';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return 'missing';
  return timingSafeEqual(digest(m[1]!), digest(token)) ? 'ok' : 'wrong';
}

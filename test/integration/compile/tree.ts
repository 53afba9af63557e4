// Write a source tree from a compact spec: { 'app/type': 'longrun\n', 'app/dependencies.d/': null, ... }.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A path ending in '/' (or a null value) is a directory; anything else is a file with that content. */
export type TreeSpec = Record<string, string | null>;

export function writeTree(root: string, spec: TreeSpec): string {
  mkdirSync(root, { recursive: true });
  for (const [rel, content] of Object.entries(spec)) {
    const path = join(root, rel);
    if (content === null || rel.endsWith('/')) {
      mkdirSync(path, { recursive: true });
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
  }
  return root;
}

/** Helpers for the common definitions. */
export const oneshot = (name: string, up = 'true\n', deps: string[] = []): TreeSpec => ({
  [`${name}/type`]: 'oneshot\n',
  [`${name}/up`]: up,
  ...Object.fromEntries(deps.map((d) => [`${name}/dependencies.d/${d}`, ''])),
});

export const longrun = (name: string, deps: string[] = [], extra: TreeSpec = {}): TreeSpec => ({
  [`${name}/type`]: 'longrun\n',
  [`${name}/run`]: '#!/bin/sh\nexec sleep 1000\n',
  ...Object.fromEntries(deps.map((d) => [`${name}/dependencies.d/${d}`, ''])),
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`${name}/${k}`, v])),
});

export const bundle = (name: string, members: string[]): TreeSpec => ({
  [`${name}/type`]: 'bundle\n',
  [`${name}/contents.d/`]: null,
  ...Object.fromEntries(members.map((m) => [`${name}/contents.d/${m}`, ''])),
});

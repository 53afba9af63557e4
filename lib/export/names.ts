// Engine names: compose service names and Kubernetes container names (DNS-1123 labels), unique.

/** Compose: `^[a-zA-Z0-9._-]+$`. */
export const composeName = (n: string): string => n.replace(/[^a-zA-Z0-9._-]/g, '-') || 'service';

/** Kubernetes container names: lowercase alphanumerics and '-', starting and ending alphanumeric, at most 63. */
export function kubernetesName(n: string): string {
  const s = n
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return s || 'service';
}

/** Map every name through `fn`, suffixing -2, -3, ... where two would collide. */
export function uniqueNames(names: readonly string[], fn: (n: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const n of names) {
    const base = fn(n);
    let name = base;
    for (let k = 2; used.has(name); k++) name = fn(`${base.slice(0, 60)}-${k}`);
    used.add(name);
    out.set(n, name);
  }
  return out;
}

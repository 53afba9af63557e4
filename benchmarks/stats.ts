// Small statistics over benchmark samples.

/** The middle sample (the upper one of the two for an even count); NaN when there is none. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

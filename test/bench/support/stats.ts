/** Small measuring helpers shared by the bench scenarios. */

/** The p-th percentile (0–100) of `xs`, nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/** How long `fn` takes, in ms. */
export function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

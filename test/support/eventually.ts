/** Polls `check` until it stops throwing (or returns true), or fails with its last error. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== false) return v;
      last = new Error('condition still false');
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw last instanceof Error ? last : new Error(String(last));
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The crash policy for renderers: reload after a crash (local data lives in IndexedDB), but not
 * forever.
 */

/** Renderer crashes tolerated within `CRASH_WINDOW_MS` before reloading stops (crash loop). */
export const MAX_RELOADS = 3;
/** The window over which crashes are counted. */
export const CRASH_WINDOW_MS = 60_000;

/**
 * Whether to reload after `render-process-gone`. Local data lives in IndexedDB, so a reload loses
 * nothing; but a page that crashes on load would spin forever, hence the limit.
 */
export function reloadDecision(
  reason: string,
  previousCrashes: readonly number[],
  now: number,
): { readonly reload: boolean; readonly crashes: readonly number[] } {
  const crashes = [...previousCrashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
  if (reason === 'clean-exit') return { reload: false, crashes: previousCrashes };
  return { reload: crashes.length <= MAX_RELOADS, crashes };
}

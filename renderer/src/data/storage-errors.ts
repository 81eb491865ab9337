/**
 * What a failed local write means to the person who made it. IndexedDB reports a full disk (or
 * the browser's storage quota for the app) as `QuotaExceededError`, which Dexie and RxDB wrap in
 * errors of their own; we look through the wrapping so the message says what to do.
 */

/** Shown when the device has no room for a write; the unsaved input is kept on screen. */
export const STORAGE_FULL_MESSAGE =
  'This device is out of storage space, so the change was not saved. What you typed is kept here: free up disk space (or let files finish uploading) and try again.';

/** True if `err` or any error it wraps (RxDB and Dexie nest them) satisfies `test`. */
function anyError(err: unknown, test: (e: Record<string, unknown>) => boolean, depth = 0): boolean {
  if (depth > 6 || err === null || typeof err !== 'object') return false;
  const e = err as Record<string, unknown>;
  if (test(e)) return true;
  for (const key of ['cause', 'inner', 'error', 'parameters', 'errors', 'writeError']) {
    const next = e[key];
    if (Array.isArray(next)) {
      if (next.some((x) => anyError(x, test, depth + 1))) return true;
    } else if (anyError(next, test, depth + 1)) return true;
  }
  return false;
}

const messageOf = (e: Record<string, unknown>): string =>
  typeof e.message === 'string' ? e.message : '';

/** True if `err`, or an error it wraps, says the storage quota is exceeded. */
export function isStorageFull(err: unknown): boolean {
  return anyError(
    err,
    (e) =>
      e.name === 'QuotaExceededError' ||
      /QuotaExceeded|quota exceeded|quota has been exceeded/i.test(messageOf(e)),
  );
}

/** A write the browser's storage aborted: almost always a full disk, or a failing one. */
export const ABORTED_WRITE_MESSAGE =
  'The change could not be saved on this device: its storage refused the write, usually because the disk is full. What you typed is kept here: free up disk space and try again; if it still fails, copy your text and reload Switchboard.';

/** The browser closed the local database under us (it does after a failed disk write). */
export const DATABASE_CLOSED_MESSAGE =
  'The local database was closed by the browser, usually after the disk ran full. Nothing saved before is lost: copy what you typed, free up disk space, then reload Switchboard.';

// How IndexedDB (through Dexie) reports a write the storage refused. Deliberately narrow: a
// fetch aborted on purpose is also an "AbortError" and must not read as a full disk.
const IDB_WRITE_FAILED = /transaction was aborted|UnknownError|Internal error writing|IO error/i;

/** True for a failure of the device's storage itself: quota, a refused write, a closed database. */
export function isLocalStorageFailure(err: unknown): boolean {
  return (
    isStorageFull(err) ||
    anyError(err, (e) => {
      const m = messageOf(e);
      return (
        IDB_WRITE_FAILED.test(m) ||
        e.name === 'DatabaseClosedError' ||
        /Database has been closed/i.test(m)
      );
    })
  );
}

/** Less free space than this (bytes) for the app's origin counts as a full disk. */
const NEARLY_FULL_BYTES = 5 * 1024 * 1024;

type StorageEstimator = () => Promise<{ quota?: number; usage?: number }>;

const browserEstimate: StorageEstimator = () =>
  typeof navigator !== 'undefined' && typeof navigator.storage?.estimate === 'function'
    ? navigator.storage.estimate()
    : Promise.resolve({});

/**
 * A sentence for a failed local write. Storage-full gets its own advice, also a full disk that IndexedDB reports only as an
 * aborted transaction (Chromium does when the disk itself, not the quota, runs out): when a write
 * aborts and the origin has almost no room left, it is the disk.
 */
export async function explainWriteError(
  err: unknown,
  estimate: StorageEstimator = browserEstimate,
): Promise<string> {
  if (isStorageFull(err)) return STORAGE_FULL_MESSAGE;
  const text = err instanceof Error ? err.message : String(err);
  if (/Database has been closed|DatabaseClosedError/i.test(text)) return DATABASE_CLOSED_MESSAGE;
  if (IDB_WRITE_FAILED.test(text)) {
    const e: { quota?: number; usage?: number } = await estimate().catch(() => ({}));
    if (
      typeof e.quota === 'number' &&
      typeof e.usage === 'number' &&
      e.quota - e.usage < NEARLY_FULL_BYTES
    )
      return STORAGE_FULL_MESSAGE;
    // Chromium reports a full disk (as opposed to a full quota) only as an aborted transaction.
    return `${ABORTED_WRITE_MESSAGE} (${text})`;
  }
  return text;
}

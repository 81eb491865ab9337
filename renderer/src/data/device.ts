/** This device's stable id, used in offline ticket numbers and activity ids. */
const KEY = 'switchboard.deviceId';

let memoryId: string | undefined;

function fresh(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Returns the device id, creating it on first use. Kept in localStorage (shared by every window
 * of the app); where there is none (Node), it lives for the process.
 */
export function deviceId(): string {
  if (typeof localStorage === 'undefined') return (memoryId ??= fresh());
  let id = localStorage.getItem(KEY);
  if (!id) {
    id = fresh();
    localStorage.setItem(KEY, id);
  }
  return id;
}

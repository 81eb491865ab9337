/** This device's stable id, used in offline ticket numbers. */
const KEY = 'switchboard.deviceId';

/** Returns the device id, creating it on first use. */
export function deviceId(): string {
  let id = localStorage.getItem(KEY);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(10));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem(KEY, id);
  }
  return id;
}

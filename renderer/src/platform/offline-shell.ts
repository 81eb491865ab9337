/**
 * Registers the web console's service worker (built by vite-plugin-pwa with Workbox, see
 * vite.config.ts), so the app shell starts with the web host unreachable. Only over http(s):
 * Electron loads the renderer from its own app:// protocol, which serves the files locally.
 */

/** What the offline shell is doing, for the console and the tests. */
export type OfflineShellState = 'unsupported' | 'registering' | 'ready' | 'failed';

let state: OfflineShellState = 'unsupported';

/** The offline shell's state in this window. */
export function offlineShellState(): OfflineShellState {
  return state;
}

/** Registers the service worker once the page has loaded (never blocks the first start). */
export function registerOfflineShell(): void {
  const web = location.protocol === 'http:' || location.protocol === 'https:';
  if (!web || !('serviceWorker' in navigator)) return;
  state = 'registering';
  const register = () => {
    navigator.serviceWorker
      .register('./sw.js', { scope: './' })
      .then(() => navigator.serviceWorker.ready)
      .then(
        () => {
          state = 'ready';
          document.documentElement.dataset.offlineShell = 'ready';
        },
        (err: unknown) => {
          // The console works as before (it starts offline only while the host answers).
          state = 'failed';
          document.documentElement.dataset.offlineShell = 'failed';
          document.documentElement.dataset.offlineShellError = String(err);
        },
      );
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

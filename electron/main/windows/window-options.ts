/**
 * Construction options for every window: one place for the secure webPreferences, so no window
 * can be created with weaker ones, and the crash policy for renderers.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The webPreferences of every app window (Electron security checklist items 2-4, 6, 9). */
export function secureWebPreferences(
  preload: string,
  opts: { readonly backgroundThrottling: boolean },
): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
    backgroundThrottling: opts.backgroundThrottling,
  };
}

/** Options for an app window; `extra` may set geometry and chrome, never webPreferences. */
export function appWindowOptions(
  preload: string,
  extra: Omit<BrowserWindowConstructorOptions, 'webPreferences'> & {
    readonly backgroundThrottling: boolean;
  },
): BrowserWindowConstructorOptions {
  const { backgroundThrottling, ...rest } = extra;
  return {
    show: false,
    backgroundColor: '#121212',
    autoHideMenuBar: false,
    ...rest,
    webPreferences: secureWebPreferences(preload, { backgroundThrottling }),
  };
}

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

/**
 * The one place that constructs a BrowserWindow. Its webPreferences are written out literally here
 * (not built elsewhere and passed in) so that every window gets them and so that static checks
 * such as electronegativity can see them at the constructor call.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

/** Geometry and chrome of a window; webPreferences are not the caller's to choose. */
export type AppWindowSpec = {
  readonly chrome: Omit<BrowserWindowConstructorOptions, 'webPreferences'>;
  /** False only for windows that must keep working while hidden or covered (console, wallboard). */
  readonly backgroundThrottling: boolean;
};

/** Creates an app window with the secure webPreferences (security checklist items 2-4, 6, 8-10). */
export function createAppWindow(preload: string, spec: AppWindowSpec): BrowserWindow {
  return new BrowserWindow({
    show: false,
    backgroundColor: '#121212',
    ...spec.chrome,
    webPreferences: {
      preload, // eng-disable PRELOAD_JS_CHECK (reviewed: exposes only window.desk, docs/security.md)
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
      // Middle-click would otherwise open links in new windows past the window-open handler.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
      backgroundThrottling: spec.backgroundThrottling,
    },
  });
}

import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';

// A fake of the `electron` module: BrowserWindow records what it was constructed with.
const constructed: BrowserWindowConstructorOptions[] = [];
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(options: BrowserWindowConstructorOptions) {
      constructed.push(options);
    }
  },
}));

const { createAppWindow } = await import('../../../electron/main/windows/create-window');

describe('createAppWindow', () => {
  it('always applies the secure webPreferences, whatever chrome the caller passes', () => {
    createAppWindow('/app/preload.cjs', {
      chrome: {
        width: 800,
        // A caller cannot smuggle webPreferences in through the chrome options.
        ...({ webPreferences: { nodeIntegration: true, sandbox: false } } as object),
      },
      backgroundThrottling: false,
    });
    expect(constructed).toHaveLength(1);
    expect(constructed[0]).toMatchObject({ width: 800, show: false });
    expect(constructed[0]?.webPreferences).toEqual({
      preload: '/app/preload.cjs',
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
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
      backgroundThrottling: false,
    });
  });
});

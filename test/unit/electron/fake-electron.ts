// Fakes of the parts of `electron` the main-process modules touch, for Node tests.
import { EventEmitter } from 'node:events';
import type { BrowserWindow, BrowserWindowConstructorOptions, Display } from 'electron';
import type { AppWindowSpec } from '../../../electron/main/windows/create-window';
import type { DisplayInfo, Rect } from '../../../electron/main/windows/placement';

/** A BrowserWindow that records what was done to it. */
export class FakeWindow extends EventEmitter {
  static all: FakeWindow[] = [];
  readonly webContents = Object.assign(new EventEmitter(), {
    sent: [] as { channel: string; payload: unknown }[],
    reloads: 0,
    send(channel: string, payload: unknown) {
      this.sent.push({ channel, payload });
    },
    reload() {
      this.reloads++;
    },
  });
  url = '';
  visible = false;
  destroyed = false;
  minimized = false;
  maximized = false;
  focused = 0;
  bounds: Rect;
  readonly options: BrowserWindowConstructorOptions;
  readonly backgroundThrottling: boolean;
  constructor(spec: AppWindowSpec) {
    super();
    const options = spec.chrome;
    this.options = options;
    this.backgroundThrottling = spec.backgroundThrottling;
    this.bounds = {
      x: options.x ?? 0,
      y: options.y ?? 0,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    FakeWindow.all.push(this);
  }
  loadURL(url: string) {
    this.url = url;
    return Promise.resolve();
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {
    this.focused++;
  }
  restore() {
    this.minimized = false;
  }
  isMinimized() {
    return this.minimized;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMaximized() {
    return this.maximized;
  }
  isVisible() {
    return this.visible;
  }
  maximize() {
    this.maximized = true;
  }
  getBounds() {
    return this.bounds;
  }
  getNormalBounds() {
    return this.bounds;
  }
  /** What the user's close button does: 'close' can be prevented, else the window is destroyed. */
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.destroyed = true;
    this.emit('closed');
  }
  asWindow(): BrowserWindow {
    return this as unknown as BrowserWindow;
  }
}

/** A screen with the given displays; the first is primary unless said otherwise. */
export function fakeScreen(displays: DisplayInfo[], primaryId = displays[0]!.id) {
  const asDisplay = (d: DisplayInfo) => d as unknown as Display;
  return {
    displays,
    getAllDisplays: () => displays.map(asDisplay),
    getPrimaryDisplay: () => asDisplay(displays.find((d) => d.id === primaryId)!),
    getDisplayMatching: (r: Rect) =>
      asDisplay(
        displays.find((d) => r.x >= d.bounds.x && r.x < d.bounds.x + d.bounds.width) ??
          displays[0]!,
      ),
  };
}

/** A display with a 40 px taskbar at the bottom. */
export const display = (id: number, x: number, y: number, w: number, h: number): DisplayInfo => ({
  id,
  bounds: { x, y, width: w, height: h },
  workArea: { x, y, width: w, height: h - 40 },
});

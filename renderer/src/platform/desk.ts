/** The typed accessor for `window.desk`: Electron's preload API, or the web shell's own. */
import type { DeskApi } from '../../../shared/ipc/contract';
import { createBrowserDesk } from './browser-desk';

declare global {
  interface Window {
    readonly desk?: DeskApi;
  }
  const __APP_VERSION__: string;
}

let desk: DeskApi | undefined;

/** The desk API of this shell. */
export function getDesk(): DeskApi {
  desk ??= window.desk ?? createBrowserDesk();
  return desk;
}

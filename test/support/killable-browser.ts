/**
 * Debian's Chromium started as our own child process on a profile directory that outlives it,
 * driven over CDP, so a test can `kill -9` the whole browser (every process of it) at any moment
 * and start it again on the same IndexedDB: a power cut or a crash as the user would see it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { CHROMIUM } from './browser';

export type KillableBrowser = {
  readonly browser: Browser;
  /** The profile's context (its IndexedDB is the one that survives a kill). */
  readonly context: BrowserContext;
  /** SIGKILL to every process of this browser; resolves when they are gone. */
  readonly kill: () => Promise<void>;
  /** Closes the browser normally. */
  readonly close: () => Promise<void>;
};

function waitForDevTools(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${err}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${String(code)}): ${err}`));
    });
  });
}

/** Starts Chromium on `profileDir` (kept between starts). */
export async function launchKillableBrowser(profileDir: string): Promise<KillableBrowser> {
  const child = spawn(
    CHROMIUM,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      `--user-data-dir=${profileDir}`,
      '--remote-debugging-port=0',
      '--remote-debugging-address=127.0.0.1',
      'about:blank',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ws = await waitForDevTools(child);
  const browser = await chromium.connectOverCDP(ws);
  const context = browser.contexts()[0];
  if (!context) throw new Error('Chromium has no default context');
  const pid = child.pid;
  if (pid === undefined) throw new Error('Chromium has no pid');
  return {
    browser,
    context,
    kill: async () => {
      try {
        process.kill(-pid, 'SIGKILL'); // the process group: browser, renderers, utilities
      } catch {
        // already gone
      }
      await exited;
      await browser.close().catch(() => undefined);
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
    },
  };
}

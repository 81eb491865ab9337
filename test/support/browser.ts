/** Debian's Chromium driven by playwright-core, with the flags this sandbox needs. */
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

/** Path of the Chromium binary used by e2e tests. */
export const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium';

/** Launches a headless Chromium; each context gets its own fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}; install Debian's chromium (see .ci/run).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

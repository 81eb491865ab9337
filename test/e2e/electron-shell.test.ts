import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { startTestDesk, PREFIX, type TestDesk } from '../support/desk-server';

// The same journey as the web shell's round trip, under the real Electron binary where this
// machine has one. Where npm could not download it, the suite is skipped and says why.
const require = createRequire(import.meta.url);
function electronBinary(): string | null {
  try {
    const p = require('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}
const binary = electronBinary();
if (!binary) {
  console.log(
    'electron e2e skipped: no Electron binary on this machine (npm could not download it; ELECTRON_SKIP_BINARY_DOWNLOAD).',
  );
}

describe.skipIf(!binary)('Electron shell', () => {
  let desk: TestDesk;
  let app: ElectronApplication;
  beforeAll(async () => {
    desk = await startTestDesk({ tickets: 20 });
    app = await electron.launch({
      executablePath: binary!,
      args: ['.'],
      env: { ...process.env, SWITCHBOARD_COUCH_URL: desk.url, SWITCHBOARD_DB_PREFIX: PREFIX },
    });
  });
  afterAll(async () => {
    await app?.close();
    await desk?.stop();
  });

  it('signs in and shows the queue from the server', async () => {
    const page = await app.firstWindow();
    await page.getByLabel('Name').fill('alice');
    await page.getByLabel('Password').fill('switchboard');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByTestId('queue-count').textContent(), { timeout: 30_000 })
      .toBe('(20)');
    expect(await page.evaluate(() => Object.keys(window).includes('desk'))).toBe(true);
  });
});

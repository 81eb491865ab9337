/**
 * The web console starts with no web host: after one visit, its Workbox service worker holds
 * the app shell, so a reload with the web host stopped starts the console from the local
 * replica (signed in, tickets there, offline), and edits made then reach the server once the
 * host is back on the same address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { PREFIX, startTestDesk, startTestWeb, type TestDesk } from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 40 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

describe('offline app shell', () => {
  it('starts the console from the replica with the web host stopped', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync', 60_000);
    // The shell is installed and controls the page.
    await page.locator('html[data-offline-shell="ready"]').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true);
    const row = page.locator('[data-testid="queue-row"]').first();
    await row.waitFor();
    const number = (await row.getAttribute('data-number'))!;

    // The web host goes away: nothing answers on its address any more.
    const port = Number(new URL(web.url).port);
    await web.close();
    await expect(fetch(web.url).then((r) => r.status)).rejects.toThrow();
    await page.reload();
    await page.getByTestId('signed-in-user').filter({ hasText: 'alice' }).waitFor();
    await waitForSyncState(page, 'offline', 30_000);
    const again = page.locator(`[data-testid="queue-row"][data-number="${number}"]`);
    await again.waitFor();

    // Work done now is kept and sent when the host is back where it was.
    await again.click();
    const panel = page.getByTestId('ticket-panel');
    await panel.getByLabel('Title').fill('Edited while the web host was down');
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    web = await startTestWeb(desk, port);
    await waitForSyncState(page, 'in-sync', 90_000);
    await expect
      .poll(
        async () =>
          (await desk.admin.request<{ title: string }>('GET', `/${PREFIX}tickets/${number}`)).title,
        { timeout: 30_000 },
      )
      .toBe('Edited while the web host was down');
    await context.close();
  });
});

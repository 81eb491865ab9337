/**
 * Offline in Chromium against the real embedded server: with the network gone, an agent creates
 * and edits tickets and adds notes, reloads the console (it starts from the local replica), and
 * when the network returns the server has every change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, asUser, PREFIX, type TestDesk } from '../support/desk-server';
import { createTicketInConsole, signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 60 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

type Doc = Record<string, unknown>;

describe('offline work in the browser console', () => {
  it('keeps offline creates, edits and notes through a reload and pushes them on reconnect', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync');
    await context.setOffline(true);
    await waitForSyncState(page, 'offline', 10_000);

    const first = await createTicketInConsole(page, 'Offline: badge reader broken');
    const second = await createTicketInConsole(
      page,
      'Offline: new starter laptop',
      'Service request',
    );
    expect(second).toMatch(/^REQ-/);

    // Edit an existing ticket and add a work note.
    const row = page
      .locator('[data-testid="queue-row"]')
      .filter({ hasNotText: 'Offline:' })
      .first();
    const edited = (await row.getAttribute('data-number'))!;
    await row.click();
    const panel = page.getByTestId('ticket-panel');
    await panel.getByLabel('Title').fill('Offline edit: VPN drops every hour');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByLabel('Work note (staff only)').fill('Checked the tunnel logs on site.');
    await panel.getByRole('button', { name: 'Add note' }).click();
    await panel
      .getByTestId('activity-body')
      .getByText('Checked the tunnel logs on site.')
      .waitFor();
    await expect.poll(() => page.getByText('not synced').count()).toBeGreaterThanOrEqual(3);
    // Reload with the server unreachable (the page itself still loads from the web host).
    await page.route('**/couch/**', (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);
    await page.reload();
    await page.getByTestId('signed-in-user').waitFor();
    for (const n of [first, second, edited])
      await page.locator(`[data-testid="queue-row"][data-number="${n}"]`).waitFor();
    await expect.poll(() => page.getByText('not synced').count()).toBeGreaterThanOrEqual(3);

    // The server comes back: everything arrives, once.
    await page.unroute('**/couch/**');
    await waitForSyncState(page, 'in-sync', 60_000);
    const alice = asUser(desk, 'alice');
    const get = (n: string) => alice.request<Doc>('GET', `/${PREFIX}tickets/${n}`);
    expect(await get(first)).toMatchObject({
      title: 'Offline: badge reader broken',
      createdBy: 'alice',
    });
    expect(await get(second)).toMatchObject({
      title: 'Offline: new starter laptop',
      kind: 'request',
    });
    expect(await get(edited)).toMatchObject({ title: 'Offline edit: VPN drops every hour' });
    const notes = await alice.request<{ rows: { doc: Doc }[] }>(
      'GET',
      `/${PREFIX}activity/_all_docs?include_docs=true`,
    );
    const mine = notes.rows.filter((r) => r.doc.body === 'Checked the tunnel logs on site.');
    expect(mine).toHaveLength(1);
    expect(mine[0]?.doc.ticketNumber).toBe(edited);
    await expect.poll(() => page.getByText('not synced').count()).toBe(0);
    await context.close();
  });

  it('shows changes made in one window in another window of the same replica', async () => {
    const context = await browser.newContext();
    const a = await context.newPage();
    await signInAs(a, web.url, 'ben');
    await waitForSyncState(a, 'in-sync');
    const b = await context.newPage();
    await b.goto(web.url);
    await b.getByTestId('signed-in-user').waitFor();
    const number = await createTicketInConsole(a, 'Made in window A');
    await b.locator(`[data-testid="queue-row"][data-number="${number}"]`).waitFor();
    // Only one window (the leader) replicates, and the ticket still reaches the server.
    const ben = asUser(desk, 'ben');
    await expect
      .poll(async () => (await ben.tryRequest('GET', `/${PREFIX}tickets/${number}`)).status, {
        timeout: 30_000,
      })
      .toBe(200);
    await context.close();
  });
});

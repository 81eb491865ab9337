/**
 * The console meets the gateway's "set a new password first": lee's console is open when her
 * account gets marked `mustChangePassword` (her session stays valid, as a session remembered
 * from before a reset would be). Her next change is refused by the server with
 * `password_change_required`; the console leaves for the "Set a new password" form, the change
 * stays on the device, and once she sets a password it reaches the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { createTicketInConsole, signInAs, waitForSyncState } from '../support/console-page';
import { eventually } from '../support/eventually';
import type { WebHost } from '../../server/src/web-host';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;
const userPath = '/_users/org.couchdb.user:lee';

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 2 });
  await desk.admin.request('PUT', userPath, {
    name: 'lee',
    type: 'user',
    roles: ['agent'],
    password: 'switchboard',
    fullName: 'Lee Park',
  });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

describe('forced password change in an open console', () => {
  it('leaves for the new-password form, keeps the change, and sends it once the password is set', async () => {
    const lee = await browser.newPage();
    await signInAs(lee, web.url, 'lee');
    await waitForSyncState(lee, 'in-sync', 60_000);

    // Marked while her session is open (no new password: the cookie stays valid).
    const doc = await desk.admin.request<Record<string, unknown>>('GET', userPath);
    await desk.admin.request('PUT', userPath, { ...doc, mustChangePassword: true });

    const number = await createTicketInConsole(lee, 'Made before setting a new password');
    await lee.getByRole('heading', { name: 'Set a new password' }).waitFor({ timeout: 30_000 });
    expect(
      (await desk.admin.tryRequest('GET', `/${PREFIX}tickets/${encodeURIComponent(number)}`))
        .status,
    ).toBe(404);

    await lee.getByLabel('New password', { exact: true }).fill('lee chose this one');
    await lee.getByLabel('New password again').fill('lee chose this one');
    await lee.getByRole('button', { name: 'Set the password' }).click();
    await lee.getByTestId('signed-in-user').filter({ hasText: 'lee' }).waitFor();
    expect(
      (await desk.admin.request<{ mustChangePassword?: boolean }>('GET', userPath))
        .mustChangePassword,
    ).toBe(false);
    // The ticket made meanwhile was kept on the device and now reaches the server.
    const t = await eventually(
      () =>
        desk.admin.request<{ title: string }>(
          'GET',
          `/${PREFIX}tickets/${encodeURIComponent(number)}`,
        ),
      { timeoutMs: 30_000 },
    );
    expect(t.title).toBe('Made before setting a new password');
  });
});

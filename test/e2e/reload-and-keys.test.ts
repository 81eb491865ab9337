/**
 * What an agent was doing survives a reload (open tabs, the selected view, an unsent note),
 * is this user's only on a shared browser profile, and dialogs keep the keyboard contract:
 * Escape asks before discarding typed text, Ctrl+Enter submits. Chromium against the real
 * embedded server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { putIncident, startTestDesk, startTestWeb, type TestDesk } from '../support/desk-server';
import { openViaPalette, signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 50 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

/** Signs the current user out and `name` in, in the same browser profile. */
async function switchUser(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').filter({ hasText: name }).waitFor();
}

const tabNumbers = (page: Page) =>
  page
    .getByTestId('ticket-tab')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-number')));

const putTicket = (title: string) =>
  putIncident(desk, title, { description: 'From the e2e test.', deviceId: 'e2e-reload' });

describe('reload and keys', () => {
  it('tabs, the selected view and an unsent note survive a reload, for this user only', async () => {
    const first = await putTicket('Reload check: VPN drops');
    const second = await putTicket('Reload check: printer offline');
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync', 60_000);

    await page.getByTestId('view-my-groups').click();
    await openViaPalette(page, first);
    await openViaPalette(page, second);
    const panel = page.locator(`[data-testid="ticket-panel"][data-number="${second}"]`);
    await page.keyboard.press('n');
    await page.keyboard.type('Half-written: asked the user to restart the spooler');
    await page.keyboard.press('Escape');

    await page.reload();
    await page.getByTestId('signed-in-user').waitFor();
    await expect.poll(() => tabNumbers(page)).toEqual([first, second]);
    await expect
      .poll(() =>
        page
          .getByTestId('ticket-tab')
          .and(page.locator(`[data-number="${second}"]`))
          .getByRole('button', { name: second, exact: true })
          .getAttribute('aria-current'),
      )
      .toBe('true');
    await expect
      .poll(() => page.getByTestId('view-my-groups').getAttribute('class'))
      .toMatch(/Mui-selected/);
    await expect
      .poll(() => panel.getByLabel('Work note (staff only)').inputValue())
      .toBe('Half-written: asked the user to restart the spooler');

    // Sent: the draft is gone after the next reload too.
    await panel.getByRole('button', { name: 'Add note' }).click();
    await panel.getByTestId('activity-entry').filter({ hasText: 'restart the spooler' }).waitFor();
    await expect.poll(() => panel.getByLabel('Work note (staff only)').inputValue()).toBe('');
    await page.keyboard.press('n');
    await page.keyboard.type('A second draft, kept');
    await page.keyboard.press('Escape');

    // Another user on the same browser profile sees none of it.
    await switchUser(page, 'ben');
    await waitForSyncState(page, 'in-sync', 60_000);
    expect(await tabNumbers(page)).toEqual([]);
    expect(await page.getByTestId('view-my-groups').getAttribute('class')).not.toMatch(
      /Mui-selected/,
    );
    await openViaPalette(page, second);
    const bens = page.locator(`[data-testid="ticket-panel"][data-number="${second}"]`);
    expect(await bens.getByLabel('Work note (staff only)').inputValue()).toBe('');
    await page.reload();
    await page.getByTestId('signed-in-user').waitFor();
    await expect.poll(() => tabNumbers(page)).toEqual([second]);
    expect(await bens.getByLabel('Work note (staff only)').inputValue()).toBe('');

    // And alice gets hers back.
    await switchUser(page, 'alice');
    await expect.poll(() => tabNumbers(page)).toEqual([first, second]);
    await expect
      .poll(() => panel.getByLabel('Work note (staff only)').inputValue())
      .toBe('A second draft, kept');
    await context.close();
  });

  it('the New view dialog asks before Escape discards a name, and Ctrl+Enter creates', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, web.url, 'alice');
    await page.getByRole('button', { name: 'New view' }).click();
    const editor = page.getByRole('dialog', { name: 'New view' });
    await editor.getByLabel('View name').fill('Network outages');
    await page.keyboard.press('Escape');
    const ask = page.getByRole('alertdialog', { name: 'Discard what you typed?' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(await editor.getByLabel('View name').inputValue()).toBe('Network outages');

    await editor.getByLabel('Text (all words must appear)').fill('network');
    await editor.getByRole('combobox', { name: 'SLA' }).click();
    await page.getByRole('option', { name: /^At risk/ }).click();
    // The menu hides the dialog from the accessibility tree while it is open.
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    await editor.waitFor();
    // (Enter on a focused select opens its menu, Ctrl+Enter too: submit from a text field.)
    await editor.getByLabel('View name').focus();
    await page.keyboard.press('Control+Enter');
    await editor.waitFor({ state: 'hidden' });
    await page.getByTestId('view-custom-network-outages').click();
    // Saved with the at-risk SLA filter: the editor shows it again.
    await page.getByRole('button', { name: 'Edit “Network outages”' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit view' });
    await expect
      .poll(() => edit.getByRole('combobox', { name: 'SLA' }).textContent())
      .toMatch(/^At risk/);
    await page.keyboard.press('Escape');
    await edit.waitFor({ state: 'hidden' });

    // An untouched form closes on Escape without asking; a discarded one is gone.
    await page.getByRole('button', { name: 'New view' }).click();
    await editor.waitFor();
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'New view' }).click();
    await editor.getByLabel('View name').fill('Thrown away');
    await page.keyboard.press('Escape');
    await ask.getByRole('button', { name: 'Discard' }).click();
    await editor.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('view-custom-thrown-away').count()).toBe(0);

    // New ticket: Enter in the title creates it.
    await page.getByRole('button', { name: 'New ticket' }).click();
    const create = page.getByRole('dialog', { name: 'New ticket' });
    await create.getByLabel('Title').fill('Created with Enter');
    await page.keyboard.press('Enter');
    await page.getByText(/^Created [A-Z]+-/).waitFor();
    await context.close();
  });

  it('h puts the open ticket on hold through the on-hold dialog, and the cheat sheet lists it', async () => {
    const number = await putTicket('Hold check: waiting for the caller');
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync', 60_000);
    await openViaPalette(page, number);
    const panel = page.locator(`[data-testid="ticket-panel"][data-number="${number}"]`);

    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet
      .getByRole('row')
      .filter({ hasText: `Put ${number} on hold` })
      .getByText('H', { exact: true })
      .waitFor();
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });

    await page.keyboard.press('h');
    const hold = page.getByRole('dialog', { name: 'Put on hold' });
    await hold.getByRole('combobox', { name: 'On-hold reason' }).waitFor();
    await page.keyboard.press('Control+Enter');
    await hold.waitFor({ state: 'hidden' });
    await expect.poll(() => panel.getByTestId('ticket-state').textContent()).toBe('on-hold');

    // On hold already: h offers nothing.
    await page.keyboard.press('h');
    expect(await page.getByRole('dialog', { name: 'Put on hold' }).count()).toBe(0);
    await context.close();
  });
});

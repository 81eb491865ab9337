/** Shared steps for e2e tests that drive the console in a browser page. */
import type { Page } from 'playwright-core';

/** Signs `name` in on the console at `url` and waits for the signed-in shell. */
export async function signInAs(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor();
}

/** Waits until the sync indicator says the given state. */
export async function waitForSyncState(page: Page, state: string, timeout = 30_000) {
  await page
    .getByTestId('sync-status')
    .and(page.locator(`[data-state="${state}"]`))
    .waitFor({ timeout });
}

/** Creates a ticket with the New ticket dialog; returns its number from the confirmation. */
export async function createTicketInConsole(page: Page, title: string, kind?: string) {
  await page.getByRole('button', { name: 'New ticket' }).click();
  const dialog = page.getByRole('dialog', { name: 'New ticket' });
  if (kind) {
    await dialog.getByLabel('Kind').click();
    await page.getByRole('option', { name: kind }).click();
    if (kind === 'Service request') {
      // A request names what is requested, from the service catalog.
      await dialog.getByLabel('Catalog item').click();
      await page.getByRole('option').first().click();
    }
  }
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByRole('button', { name: 'Create' }).click();
  const toast = page.getByText(/^Created [A-Z]+-/);
  await toast.waitFor();
  const number = ((await toast.textContent()) ?? '').replace('Created ', '');
  await toast.waitFor({ state: 'hidden', timeout: 10_000 });
  return number;
}

/**
 * Opens ticket `number` from the command palette. The ticket may still be on its way from the
 * server: waits until the palette can open it.
 */
export async function openViaPalette(page: Page, number: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox').fill(number);
  await page
    .getByTestId('palette-item')
    .filter({ hasNotText: 'not in this replica' })
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid="ticket-panel"][data-number="${number}"]`).waitFor();
}

/**
 * The Import page in Chromium against the real embedded server: the admin imports the real
 * ServiceNow sample (dry run, then import) with a progress bar; an agent's console then has the
 * imported tickets with their history, found by their ServiceNow numbers in search and palette.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';

const SAMPLE = fileURLToPath(
  new URL('../../../shared/data/servicenow/incident_event_log.sample.csv', import.meta.url),
);

let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 20 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

async function open(name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, web.url, name);
  await waitForSyncState(page, 'in-sync', 60_000);
  return page;
}

const importedCount = async () => {
  const r = await desk.admin.request<{ rows: { id: string }[] }>(
    'GET',
    `/${PREFIX}tickets/_all_docs?startkey="INC-00"&endkey="INC-01"`,
  );
  return r.rows.length;
};

describe('Import page', () => {
  it('is offered to administrators only', async () => {
    const alice = await open('alice');
    expect(await alice.getByTestId('nav-import').count()).toBe(0);
    await alice.context().close();
  });

  it('imports the sample with a progress bar; agents find the tickets and their history', async () => {
    const ada = await open('ada');
    await ada.getByTestId('nav-import').click();
    await ada.getByTestId('import-file').setInputFiles(SAMPLE);
    await ada.getByTestId('import-file-name').getByText('incident_event_log.sample.csv').waitFor();

    await ada.getByTestId('import-dry-run').click();
    const result = ada.getByTestId('import-result');
    await result.getByText(/Dry run: nothing written\. 3428 rows read, 3428 imported/).waitFor();
    await result
      .getByText('Incidents: 600 would be created, 0 would be updated, 0 unchanged.')
      .waitFor();
    expect(await importedCount()).toBe(0);

    await ada.getByTestId('import-run').click();
    const bar = ada.getByRole('progressbar', { name: 'Import progress' });
    await bar.waitFor({ state: 'visible' });
    await result
      .getByText('Incidents: 600 created, 0 updated, 0 unchanged.')
      .waitFor({ timeout: 90_000 });
    expect(await bar.isVisible()).toBe(true);
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    // The bar moved in steps (one per batch of 50 incidents), not straight from 0 to 100.
    expect(
      Number(await ada.getByTestId('import-progress').getAttribute('data-steps')),
    ).toBeGreaterThan(10);
    expect(await importedCount()).toBe(600);
    await ada.context().close();

    const alice = await open('alice');
    await alice.getByLabel('Search').fill('INC0000045');
    const rows = alice.getByTestId('queue-row');
    await rows.filter({ hasText: 'INC-00000000001D' }).waitFor({ timeout: 60_000 });
    expect(await rows.count()).toBe(1);

    await alice.keyboard.press('Escape');
    await alice.keyboard.press('Control+k');
    await alice.getByRole('combobox').fill('INC0000128');
    await alice
      .getByTestId('palette-item')
      .filter({ hasText: 'Open INC0000128 (INC-000000000040)' })
      .waitFor();
    await alice.keyboard.press('Enter');
    const panel = alice.locator('[data-testid="ticket-panel"][data-number="INC-000000000040"]');
    await panel.waitFor();
    await panel
      .getByTestId('imported-origin')
      .getByText(/Imported from ServiceNow INC0000128/)
      .waitFor();
    // ServiceNow's own SLA verdict (made_sla false in the export) beside Switchboard's.
    expect(await panel.getByTestId('imported-origin').textContent()).toMatch(
      /ServiceNow SLA: missed; Switchboard's resolution target: (made|missed)/,
    );
    // Its ServiceNow history, as activity entries by their original authors.
    await panel
      .getByText('Imported from ServiceNow INC0000128: New, 3 - Moderate, Group 12')
      .waitFor();
    await panel.getByText('State: Resolved → Closed').first().waitFor();
    await panel
      .getByText(/sn-updated-by-908/)
      .first()
      .waitFor();
    await alice.context().close();
  });
});

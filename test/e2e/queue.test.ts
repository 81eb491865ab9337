/**
 * Queue journeys in Chromium against the real embedded server: triage the Unassigned queue by
 * keyboard only, and bulk-assign 50 tickets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import { createTicket, newTicketNumber } from '../../shared/domain';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 1500 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

const serverTicket = (n: string) =>
  desk.admin.request<Record<string, unknown>>('GET', `/${PREFIX}tickets/${n}`);

async function countOf(page: Page, view: string): Promise<number> {
  return Number(await page.getByTestId(`view-count-${view}`).textContent());
}

describe('queues', () => {
  it('triages the Unassigned queue by keyboard only', async () => {
    // A few fresh calls waiting in alice's group.
    for (let i = 0; i < 5; i++) {
      const now = new Date(Date.now() - i * 60_000);
      const number = newTicketNumber('incident', {
        now: now.getTime(),
        deviceId: 'e2e',
        random: Math.random,
      });
      const r = createTicket(
        {
          kind: 'incident',
          title: `Waiting call ${i}`,
          description: 'Caller on hold.',
          requesterId: 'person:caller-0001',
          ciId: null,
          category: 'general',
          impact: 2,
          urgency: 2,
          groupId: 'group:service-desk',
          assigneeId: null,
        },
        { now: now.toISOString(), actor: 'ben', number },
      );
      if (!r.ok) throw new Error(r.errors.join('; '));
      const { number: id, ...body } = r.value;
      await desk.admin.request('PUT', `/${PREFIX}tickets/${id}`, body);
    }
    const page = await (await browser.newContext()).newPage();
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync', 60_000);
    // Keyboard only, from here on: the palette picks the queue, `q` focuses the list.
    const goTo = async (queue: string) => {
      await page.keyboard.press('Control+k');
      await page.keyboard.type(`go to queue ${queue}`);
      await page.keyboard.press('Enter');
      await page.keyboard.press('q');
    };
    await goTo('unassigned');
    await expect.poll(() => countOf(page, 'unassigned')).toBeGreaterThan(2);
    const before = await countOf(page, 'unassigned');
    const grid = page.getByRole('grid', { name: 'Tickets' });
    await expect.poll(() => grid.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('j');
    const second = await page
      .locator('[data-testid="queue-row"][data-cursor="true"]')
      .getAttribute('data-number');
    await page.keyboard.press('a'); // assign to me
    await expect.poll(() => countOf(page, 'unassigned')).toBe(before - 1);
    await expect
      .poll(async () => (await serverTicket(second!)).assigneeId, { timeout: 20_000 })
      .toBe('alice');
    await page.keyboard.press('k');
    const first = await page
      .locator('[data-testid="queue-row"][data-cursor="true"]')
      .getAttribute('data-number');
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="ticket-panel"][data-number="${first}"]`).waitFor();
    await page.keyboard.press('q');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('a');
    await expect.poll(() => countOf(page, 'unassigned')).toBe(before - 3);
    await goTo('my work');
    await page.locator(`[data-testid="queue-row"][data-number="${first}"]`).waitFor();
    await page.context().close();
  });

  it('bulk-assigns 50 tickets and the server has them all', async () => {
    const page = await (await browser.newContext()).newPage();
    await signInAs(page, web.url, 'ben');
    await waitForSyncState(page, 'in-sync', 60_000);
    await page.getByTestId('view-all-open').click();
    await expect.poll(() => countOf(page, 'all-open')).toBeGreaterThan(50);
    const grid = page.getByRole('grid', { name: 'Tickets' });
    await grid.focus();
    const picked: string[] = [];
    for (let i = 0; i < 50; i++) {
      const n = await page
        .locator('[data-testid="queue-row"][data-cursor="true"]')
        .getAttribute('data-number');
      picked.push(n!);
      await page.keyboard.press('x');
      await page.keyboard.press('j');
    }
    await page.getByText('50 selected').waitFor();
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByText(/Assigned to you: 50 tickets/).waitFor();
    await waitForSyncState(page, 'in-sync', 60_000);
    await expect
      .poll(
        async () => {
          const docs = await Promise.all(picked.map(serverTicket));
          return docs.filter((d) => d.assigneeId === 'ben').length;
        },
        { timeout: 30_000 },
      )
      .toBe(50);
    await page.context().close();
  });
});

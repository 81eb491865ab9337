/**
 * The supervisor's wallboard in Chromium against the real embedded server: changes written by
 * plain HTTP to the server show on the tiles live (latency printed), a controlled clock breaches
 * an SLA and turns the compliance tile red, and tiles drill down to the matching tickets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import { createTicket, newTicketNumber, type Level, type Ticket } from '../../shared/domain';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk();
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

async function putTicket(
  title: string,
  impact: Level,
  urgency: Level,
  over: Partial<Ticket> = {},
): Promise<string> {
  const now = new Date();
  const number = newTicketNumber('incident', {
    now: now.getTime(),
    deviceId: 'e2e-wall',
    random: Math.random,
  });
  const r = createTicket(
    {
      kind: 'incident',
      title,
      description: '',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'network',
      impact,
      urgency,
      groupId: 'group:network',
      assigneeId: null,
    },
    { now: now.toISOString(), actor: 'ben', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  const { number: id, ...body } = { ...r.value, ...over };
  await desk.admin.request('PUT', `/${PREFIX}tickets/${id}`, body);
  return id;
}

const tileValue = (page: Page, tile: string) => page.getByTestId(`${tile}-value`).textContent();

/** Waits until `read` gives `want`, returning how long that took after `since`. */
async function reflected(read: () => Promise<unknown>, want: unknown, since: number) {
  await expect.poll(read, { timeout: 30_000, interval: 50 }).toEqual(want);
  return Date.now() - since;
}

describe('wallboard', () => {
  it('reflects server changes live, turns red on an SLA breach, and drills down', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    // A controlled clock: real time to begin with, fast-forwarded later to breach an SLA.
    await page.clock.install();
    await signInAs(page, web.url, 'sam');
    await waitForSyncState(page, 'in-sync', 60_000);
    await page.getByTestId('nav-wallboard').click();
    await expect.poll(() => tileValue(page, 'tile-open')).toBe('0');
    expect(await page.getByTestId('data-as-of').textContent()).toMatch(/^Live/);

    const latencies: number[] = [];
    let t = Date.now();
    const p1 = await putTicket('Core switch down', 1, 1);
    latencies.push(await reflected(() => tileValue(page, 'tile-open'), '1', t));
    t = Date.now();
    const p3 = await putTicket('Wi-Fi slow in room 4', 2, 3);
    latencies.push(await reflected(() => tileValue(page, 'tile-open'), '2', t));
    t = Date.now();
    await putTicket('Printer offline', 3, 3, { assigneeId: 'alice' });
    latencies.push(
      await reflected(() => page.getByTestId('tile-agents').getByText('alice').count(), 1, t),
    );
    expect(await page.getByTestId('flow-created-30min').textContent()).toBe('3');
    // A figure, not a threshold (`npm run bench` reports propagation): a wall-clock limit in
    // `npm test` fails on a busy machine. What is checked is that every change shows.
    console.log(`wallboard: server write → tile updated in ${latencies.join(', ')} ms`);
    expect(await page.getByTestId('tile-compliance-now').getAttribute('data-status')).toBe('ok');

    // Five hours later the P1 incident (4 h resolution target, 24x7) is breached: 2 of 3 within
    // target = 67%, under the 80% red threshold.
    await page.clock.fastForward('05:00:00');
    await expect
      .poll(() => page.getByTestId('tile-compliance-now').getAttribute('data-status'), {
        timeout: 20_000,
      })
      .toBe('red');
    await page.getByTestId('breached-list').getByText(p1).waitFor();
    // Overdue in business time (24x7 here), in the SLA formatter's words, not a clock countdown.
    expect(
      await page
        .getByTestId('breached-list')
        .locator('li', { hasText: p1 })
        .locator('[data-sla-text]')
        .textContent(),
    ).toMatch(/^resp? overdue \d+ h( \d+ min)?$/);

    // Drill-down: the backlog cell for Network P1 leads to exactly that ticket.
    await page
      .locator('[data-testid="backlog-cell"][data-group="group:network"][data-priority="1"]')
      .click();
    await page.getByTestId('drill-chip').waitFor();
    await expect.poll(() => page.getByTestId('queue-row').count()).toBe(1);
    expect(await page.getByTestId('queue-row').getAttribute('data-number')).toBe(p1);

    // And the breached tile leads to the breached tickets, where one can be reassigned.
    await page.getByTestId('nav-wallboard').click();
    await page.getByTestId('tile-breached').click();
    await expect
      .poll(() =>
        page
          .getByTestId('queue-row')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number'))),
      )
      .toEqual([p1]);
    expect(p3).not.toBe(p1);

    // "Open on a second screen" opens the wall window (`#/wallboard`) and says what happened:
    // wall mode, no console chrome, views rotate.
    await page.getByTestId('nav-wallboard').click();
    const opened = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Open on a second screen' }).click();
    const wall = await opened;
    await page.getByTestId('wall-window-notice').filter({ hasText: 'opened' }).waitFor();
    expect(new URL(wall.url()).hash).toBe('#/wallboard');
    await wall.getByTestId('wallboard').waitFor();
    expect(await wall.getByTestId('nav-wallboard').count()).toBe(0);
    await expect
      .poll(() => wall.getByRole('tab', { selected: true }).textContent())
      .toBe('Service levels');
    await wall.getByTestId('tile-breached').waitFor();
    // Only the console window replicates; the wall window shows its live status, not "connecting".
    await expect
      .poll(() => wall.getByTestId('data-as-of').textContent(), { timeout: 15_000 })
      .toMatch(/^Live/);
    await context.close();
  });
});

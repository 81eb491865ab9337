import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, asUser, PREFIX, type TestDesk } from '../support/desk-server';
import type { WebHost } from '../../server/src/web-host';
import { createTicket, newTicketNumber } from '../../shared/domain';

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

async function signIn(page: Page, name: string): Promise<void> {
  await page.goto(web.url);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor();
}

describe('walking skeleton: one ticket round trip', () => {
  it('signs in, lists the server queue, creates a ticket and sees server writes live', async () => {
    const page = await browser.newPage();
    await signIn(page, 'alice');

    // The queue lists the tickets that are on the server.
    const serverCount =
      (await desk.admin.request<{ doc_count: number }>('GET', `/${PREFIX}tickets`)).doc_count - 1;
    await expect
      .poll(() => page.getByTestId('queue-count').textContent(), { timeout: 30_000 })
      .toBe(`(${serverCount})`);
    await page
      .getByTestId('sync-status')
      .and(page.locator('[data-state="in-sync"]'))
      .waitFor({ timeout: 30_000 });

    // Create a ticket in the console: it reaches the server.
    await page.getByRole('button', { name: 'New ticket' }).click();
    await page.getByLabel('Title').fill('Printer on floor 2 offline');
    await page.getByRole('button', { name: 'Create' }).click();
    const toast = page.getByText(/^Created INC-/);
    await toast.waitFor();
    const number = ((await toast.textContent()) ?? '').replace('Created ', '');
    const alice = asUser(desk, 'alice');
    await expect
      .poll(async () => (await alice.tryRequest('GET', `/${PREFIX}tickets/${number}`)).status, {
        timeout: 15_000,
      })
      .toBe(200);
    const onServer = await alice.request<{ title: string; createdBy: string }>(
      'GET',
      `/${PREFIX}tickets/${number}`,
    );
    expect(onServer).toMatchObject({ title: 'Printer on floor 2 offline', createdBy: 'alice' });

    // A ticket written to the server over HTTP appears without a reload.
    const now = new Date();
    const num = newTicketNumber('incident', {
      now: now.getTime(),
      deviceId: 'e2e-http',
      random: Math.random,
    });
    const created = createTicket(
      {
        kind: 'incident',
        title: 'Written over HTTP',
        description: '',
        requesterId: 'person:caller-0001',
        ciId: null,
        category: 'network',
        impact: 2,
        urgency: 2,
        groupId: 'group:network',
        assigneeId: null,
      },
      { now: now.toISOString(), actor: 'ben', number: num },
    );
    if (!created.ok) throw new Error(created.errors.join('; '));
    const { number: id, ...body } = created.value;
    await asUser(desk, 'ben').request('PUT', `/${PREFIX}tickets/${id}`, body);
    await page
      .locator(`[data-testid="queue-row"][data-number="${id}"]`)
      .waitFor({ timeout: 10_000 });
    await page.close();
  });
});

/**
 * The ticket panel's links section (renderer/src/features/ticket/TicketLinks.tsx) in Chromium
 * against the real embedded server: the affected CI, knowledge articles (link, read, unlink),
 * the parent number with its three refusals, the children list and the major-incident mark,
 * each checked on the server, not only on screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import { createTicket, newTicketNumber, type Ticket } from '../../shared/domain';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 30 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

const serverTicket = (n: string) => desk.admin.request<Ticket>('GET', `/${PREFIX}tickets/${n}`);

/** A fresh incident written straight to the server. */
async function putIncident(title: string, impact: 1 | 2 | 3, urgency: 1 | 2 | 3) {
  const now = new Date();
  const number = newTicketNumber('incident', {
    now: now.getTime(),
    deviceId: 'e2e-links',
    random: Math.random,
  });
  const r = createTicket(
    {
      kind: 'incident',
      title,
      description: 'Links test.',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'network',
      impact,
      urgency,
      groupId: 'group:service-desk',
      assigneeId: null,
    },
    { now: now.toISOString(), actor: 'sam', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  const { number: id, ...body } = r.value;
  await desk.admin.request('PUT', `/${PREFIX}tickets/${id}`, body);
  return id;
}

async function open(page: Page, number: string) {
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox').fill(number);
  await page
    .getByTestId('palette-item')
    .filter({ hasNotText: 'not in this replica' })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  const panel = page.locator(`[data-testid="ticket-panel"][data-number="${number}"]`);
  await panel.waitFor();
  return panel.getByRole('region', { name: 'Links' });
}

describe('ticket links', () => {
  it('links a CI and an article, refuses bad parents, links and unlinks a parent', async () => {
    const dir = await desk.admin.request<{ rows: { doc: Record<string, unknown> }[] }>(
      'GET',
      `/${PREFIX}directory/_all_docs?include_docs=true`,
    );
    const byType = (t: string) =>
      dir.rows.map((r) => r.doc).filter((d) => d.type === t) as { _id: string; name: string }[];
    const ci = byType('ci')[0]!;
    const kb = byType('kb')[0]!;
    const major = await putIncident('Core router down', 1, 1);
    const child = await putIncident('Cannot reach the intranet', 3, 3);

    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync');
    let links = await open(page, major);

    // The affected CI, chosen by name.
    await links.getByLabel('Affected CI').fill(ci.name);
    await page.getByRole('option', { name: new RegExp(`^${ci.name} `) }).click();
    await expect.poll(async () => (await serverTicket(major)).ciId).toBe(ci._id);

    // A knowledge article: linked, read in place, unlinked.
    await links.getByLabel('Link a knowledge article').fill(kb.name);
    await page.getByRole('option', { name: kb.name }).click();
    await expect
      .poll(async () => (await serverTicket(major)).links)
      .toEqual([{ kind: 'kb', id: kb._id }]);
    const chip = links.getByTestId('kb-link');
    await expect.poll(() => chip.textContent()).toBe(kb.name);
    await chip.click();
    await links.getByRole('heading', { name: kb.name }).waitFor();
    await chip.locator('.MuiChip-deleteIcon').click();
    await expect.poll(async () => (await serverTicket(major)).links).toEqual([]);
    expect(await links.getByTestId('kb-link').count()).toBe(0);

    // The parent: three refusals, each with its reason, and nothing written.
    const parentField = links.getByLabel('Parent ticket number');
    const absent = newTicketNumber('incident', {
      now: Date.now(),
      deviceId: 'nowhere',
      random: Math.random,
    });
    const refusals: [string, RegExp][] = [
      ['not a number', /is not a ticket number like/],
      [major, /cannot be its own parent/],
      [absent, /is not in this replica/],
    ];
    for (const [input, reason] of refusals) {
      await parentField.fill(input);
      await links.getByRole('button', { name: 'Link parent' }).click();
      await expect
        .poll(() => links.locator('.MuiFormHelperText-root').textContent())
        .toMatch(reason);
    }
    expect((await serverTicket(major)).parentNumber).toBeNull();

    // The child links to the major incident; the major incident lists it and is marked major.
    await page.keyboard.press('Escape');
    links = await open(page, child);
    await links.getByLabel('Parent ticket number').fill(major);
    await links.getByRole('button', { name: 'Link parent' }).click();
    await expect.poll(async () => (await serverTicket(child)).parentNumber).toBe(major);
    await links.getByRole('button', { name: major }).waitFor();
    await page.keyboard.press('Escape');
    links = await open(page, major);
    await links.getByTestId('major').waitFor();
    await expect
      .poll(() => links.getByText(/^Children \(/).textContent())
      .toBe('Children (1 open of 1):');
    // Its chip opens the child, where the link is undone.
    await links.getByRole('button', { name: new RegExp(`^${child} · new$`) }).click();
    links = page
      .locator(`[data-testid="ticket-panel"][data-number="${child}"]`)
      .getByRole('region', { name: 'Links' });
    await links.getByRole('button', { name: 'Unlink' }).click();
    await expect.poll(async () => (await serverTicket(child)).parentNumber).toBeNull();
    await context.close();
  });
});

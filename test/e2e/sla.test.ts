/**
 * SLA settings end to end in Chromium against the real embedded server: an admin edits policies
 * in the console (a P3 response target, and pause rules that let only "awaiting caller" stop a
 * P1's clocks); an agent's open queue shows the new due time and the P1 on hold "awaiting vendor"
 * breaching; a ticket the agent creates runs under the new policy, and a priority change shows
 * the cancelled record and the new one in the ticket's activity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { createTicketInConsole, signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import {
  createTicket,
  evaluateSla,
  newTicketNumber,
  SLA_CONFIG_ID,
  slaConfigOf,
  transition,
  type SlaConfigDoc,
  type Ticket,
} from '../../shared/domain';

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

const HOUR = 3_600_000;
const serverTicket = (n: string) =>
  desk.admin.request<Ticket & { _rev: string }>('GET', `/${PREFIX}tickets/${n}`);
const serverConfig = () =>
  desk.admin.request<SlaConfigDoc>('GET', `/${PREFIX}directory/${SLA_CONFIG_ID}`);

/** An incident for alice written straight to the server, `ageH` hours old, from before records. */
async function putIncident(
  title: string,
  impact: 1 | 2,
  urgency: 1 | 2,
  ageH: number,
  onHoldAfterH?: number,
): Promise<Ticket> {
  const created = Date.now() - ageH * HOUR;
  const number = newTicketNumber('incident', {
    now: created,
    deviceId: 'e2e-sla',
    random: Math.random,
  });
  const r = createTicket(
    {
      kind: 'incident',
      title,
      description: 'From the e2e test.',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'hardware',
      impact,
      urgency,
      groupId: 'group:service-desk',
      assigneeId: 'alice',
    },
    { now: new Date(created).toISOString(), actor: 'ben', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  let t = r.value;
  if (onHoldAfterH !== undefined) {
    const held = transition(
      t,
      'on-hold',
      { onHoldReason: 'awaiting-vendor' },
      { now: new Date(created + onHoldAfterH * HOUR).toISOString(), actor: 'ben' },
    );
    if (!held.ok) throw new Error(held.error.message);
    t = held.ticket;
  }
  const { number: id, ...body } = t;
  await desk.admin.request('PUT', `/${PREFIX}tickets/${id}`, body);
  return t;
}

const chip = (page: Page, number: string) =>
  page.getByTestId('queue-row').filter({ hasText: number }).locator('[data-sla]');

async function signedIn(name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, web.url, name);
  await waitForSyncState(page, 'in-sync', 60_000);
  return page;
}

describe('SLA settings', () => {
  it('an admin’s policy edit reaches the agent’s queue; records follow a priority change', async () => {
    const p3 = await putIncident('Scanner offline', 2, 2, 0);
    const p1 = await putIncident('Core switch down', 1, 1, 5, 1);
    const v1 = slaConfigOf(await serverConfig());
    const alice = await signedIn('alice');
    // Before: the P3's response is due on the old target; the P1 is paused on hold.
    const oldDue = evaluateSla(p3, Date.now(), v1)!.response.dueAt;
    await expect.poll(() => chip(alice, p3.number).getAttribute('data-due')).toBe(oldDue);
    await expect.poll(() => chip(alice, p1.number).getAttribute('data-sla')).toBe('paused');
    // In the SLA formatter's words: the due time in the viewer's zone and business time left;
    // a paused clock says why.
    expect(await chip(alice, p3.number).textContent()).toMatch(/^resp .+ left · due .+$/);
    expect(await chip(alice, p1.number).textContent()).toMatch(
      /^res paused \(awaiting vendor\) · \d+ h( \d+ min)? left$/,
    );

    const ada = await signedIn('ada');
    await ada.getByTestId('nav-sla').click();
    const settings = ada.getByTestId('sla-settings');
    await settings.getByText('Changes apply to new SLA records only').waitFor();
    // P1 incidents: only a wait for the caller pauses the clocks.
    await settings.getByLabel('Reasons that pause the response').fill('awaiting-caller');
    await settings.getByLabel('Reasons that pause the resolution').fill('awaiting-caller');
    // P3 incidents: respond within 30 minutes of business time.
    await settings.getByLabel('Policy', { exact: true }).click();
    await ada.getByRole('option', { name: '3. sla:incident:p3' }).click();
    await settings.getByLabel('Response target (minutes)').fill('30');
    await expect
      .poll(() => settings.getByTestId('sla-preview-breaches').textContent())
      .toMatch(/^Of last month's \d+ tickets this policy covers, it would have breached \d+\.$/);
    await settings.getByRole('button', { name: 'Save SLA settings' }).click();
    await settings
      .getByText('Saved version 2. Policy changes apply to new SLA records only.')
      .waitFor();
    await expect.poll(async () => (await serverConfig()).version).toBe(2);
    const v2 = slaConfigOf(await serverConfig());
    expect(v2.policies.find((p) => p.id === 'sla:incident:p3')!.responseMs).toBe(30 * 60_000);

    // The agent's open queue, live: the new due time, and the P1 on hold for a vendor breaching.
    const newDue = evaluateSla(p3, Date.now(), v2)!.response.dueAt;
    expect(newDue).not.toBe(oldDue);
    await expect.poll(() => chip(alice, p3.number).getAttribute('data-due')).toBe(newDue);
    await expect.poll(() => chip(alice, p1.number).getAttribute('data-sla')).toBe('breached');
    expect(await chip(alice, p1.number).textContent()).toMatch(/^res overdue \d+ h( \d+ min)?$/);
    expect(evaluateSla(p1, Date.now(), v2)!.resolution).toMatchObject({
      status: 'breached',
      paused: false,
    });

    // A ticket the agent creates now runs under version 2.
    const number = await createTicketInConsole(alice, 'Badge reader dead');
    await expect.poll(async () => (await serverTicket(number)).sla.record?.configVersion).toBe(2);
    const created = await serverTicket(number);
    expect(created.sla.record?.policy.responseMs).toBe(30 * 60_000);

    // A priority change while its SLA runs: the record is cancelled and a new one starts.
    await alice.keyboard.press('Control+k');
    await alice.getByRole('combobox').fill(number);
    await alice
      .getByTestId('palette-item')
      .filter({ hasNotText: 'not in this replica' })
      .first()
      .waitFor();
    await alice.keyboard.press('Enter');
    const panel = alice.locator(`[data-testid="ticket-panel"][data-number="${number}"]`);
    await panel.waitFor();
    // The panel's long words, with the percent.
    await expect
      .poll(() => panel.locator('[data-sla]').first().textContent())
      .toMatch(/^Response due .+ · .+ business time left · \d+% elapsed$/);
    await panel.getByLabel('Urgency').click();
    await alice.getByRole('option', { name: '1 - High' }).click();
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await panel
      .locator('[data-type="sla-event"]', {
        hasText: 'SLA cancelled: priority changed (Moderate → High)',
      })
      .waitFor();
    await panel
      .locator('[data-type="sla-event"]', {
        hasText: 'SLA started: sla:incident:p2 (configuration v2)',
      })
      .waitFor();
    await expect.poll(async () => (await serverTicket(number)).sla.record?.id).toBe(`${number}#2`);
  });
});

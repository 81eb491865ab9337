/**
 * A refusal never loses work, in Chromium against the real embedded server: a work order
 * completed offline (with a reload before reconnecting) is refused by a server rule added for
 * this test; the refusal shows on the work order, as an alert and in Pending, with every field
 * the user changed; resending it unfixed is refused again and keeps it, a reload keeps it, and
 * once the field the reason names is fixed the server has the completion, each step of it in
 * the activity exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { asUser, startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import { createTicket, newTicketNumber, transition, type Ticket } from '../../shared/domain';

type Doc = Record<string, unknown>;
let desk: TestDesk;
let web: WebHost;
let browser: Browser;

const RULE_ID = '_design/test-completion-rule';
const REASON =
  'Test rule: a work order is completed only once its site is verified (site ends with "verified").';

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

async function assignedWorkOrder(): Promise<string> {
  const now = new Date(Date.now() - 3600_000).toISOString();
  const number = newTicketNumber('workorder', {
    now: Date.now() - 3600_000,
    deviceId: 'e2e-refusal',
    random: Math.random,
  });
  const r = createTicket(
    {
      kind: 'workorder',
      title: 'Replace the projector lamp in room 4',
      description: '',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'hardware',
      impact: 3,
      urgency: 3,
      groupId: 'group:field',
      assigneeId: 'tara',
    },
    { now, actor: 'sam', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  const assigned = transition(r.value, 'assigned', {}, { now, actor: 'sam' });
  if (!assigned.ok) throw new Error(assigned.error.message);
  const wo: Ticket = {
    ...assigned.ticket,
    workorder: { fieldStatus: 'scheduled', site: 'HQ room 4', contactId: null, scheduledFor: null },
  };
  const { number: id, ...body } = wo;
  await asUser(desk, 'sam').request('PUT', `/${PREFIX}tickets/${id}`, body);
  return id;
}

async function serverDocs(db: string): Promise<Doc[]> {
  const r = await desk.admin.request<{ rows: { doc: Doc }[] }>(
    'GET',
    `/${PREFIX}${db}/_all_docs?include_docs=true`,
  );
  return r.rows.map((x) => x.doc).filter((d) => !String(d._id).startsWith('_design/'));
}

async function serverTicket(number: string): Promise<Ticket & Doc> {
  return desk.admin.request<Ticket & Doc>('GET', `/${PREFIX}tickets/${number}`);
}

async function openWorkOrder(page: Page, number: string) {
  await page.getByTestId('nav-field').click();
  await page.locator(`[data-testid="work-order-row"][data-number="${number}"]`).click();
  const wo = page.locator(`[data-testid="work-order"][data-number="${number}"]`);
  await wo.waitFor();
  return wo;
}

describe('a refused change', () => {
  it('survives a resend and a reload, shows where the user is, and lands once fixed', async () => {
    const number = await assignedWorkOrder();
    // The rule added for the test, next to the provisioned ones (validate_doc_update of every
    // design document runs on each write).
    const rule = await desk.admin.request<{ rev: string }>('PUT', `/${PREFIX}tickets/${RULE_ID}`, {
      validate_doc_update:
        'function (newDoc) { if (newDoc.kind === "workorder" && newDoc.state === "completed" && ' +
        '!/verified$/.test((newDoc.workorder && newDoc.workorder.site) || "")) ' +
        `throw({ forbidden: ${JSON.stringify(REASON)} }); }`,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, web.url, 'tara');
    await waitForSyncState(page, 'in-sync', 60_000);
    let wo = await openWorkOrder(page, number);
    await expect.poll(() => wo.getByTestId('wo-state').textContent()).toBe('assigned');

    // Offline: travelling, on site, work done, then a reload before reconnecting.
    await context.route('**/couch/**', (route) => route.abort('internetdisconnected'));
    await wo.getByRole('button', { name: 'Travelling' }).click();
    await wo.getByRole('button', { name: 'On site' }).click();
    await expect.poll(() => wo.getByTestId('wo-field-status').textContent()).toBe('On site');
    await wo.getByRole('button', { name: 'Work done' }).click();
    await expect.poll(() => wo.getByTestId('wo-state').textContent()).toBe('completed');
    await page.reload();
    wo = await openWorkOrder(page, number);
    await expect.poll(() => wo.getByTestId('wo-state').textContent()).toBe('completed');

    // Back online: the completion is refused, and the user sees it where they are.
    await context.unroute('**/couch/**');
    await wo.getByTestId('ticket-refusal').filter({ hasText: 'Test rule' }).waitFor({
      timeout: 60_000,
    });
    await page.getByTestId('refused-alert').filter({ hasText: 'Nothing is lost' }).waitFor();
    await expect.poll(() => page.getByTestId('sync-status').textContent()).toMatch(/1 rejected/);
    expect((await serverTicket(number)).state).toBe('assigned');

    // Pending: every field the user changed, as they made it, the reason next to the site.
    await page.getByTestId('nav-pending').click();
    let card = page.getByTestId('rejected-change').filter({ hasText: number });
    await card.waitFor();
    await expect.poll(() => card.getByLabel('State').textContent()).toBe('completed');
    await expect.poll(() => card.getByLabel('Field status').inputValue()).toBe('work-done');
    const site = card.getByLabel('Site');
    await expect.poll(() => site.inputValue()).toBe('HQ room 4');
    await expect
      .poll(() => card.locator('.Mui-error').filter({ hasText: 'Test rule' }).count())
      .toBeGreaterThan(0);

    // Resent unfixed: refused again (a new refusal, with its own time), and still here.
    const firstAt = await card.getAttribute('data-at');
    await card.getByRole('button', { name: 'Fix and resend' }).click();
    await expect
      .poll(() => page.getByTestId('rejected-change').getAttribute('data-at'), { timeout: 60_000 })
      .not.toBe(firstAt);
    await expect.poll(() => page.getByTestId('rejected-change').count()).toBe(1);
    await expect.poll(() => card.getByLabel('State').textContent()).toBe('completed');
    expect((await serverTicket(number)).state).toBe('assigned');

    // A reload keeps it too.
    await page.reload();
    await page.getByTestId('refused-alert').waitFor();
    await page.getByTestId('nav-pending').click();
    card = page.getByTestId('rejected-change').filter({ hasText: number });
    await expect.poll(() => card.getByLabel('State').textContent()).toBe('completed');
    await expect.poll(() => card.getByLabel('Field status').inputValue()).toBe('work-done');

    // Fixed where the reason says: the completion lands, and the refusal is gone.
    await card.getByLabel('Site').fill('HQ room 4, verified');
    await card.getByRole('button', { name: 'Fix and resend' }).click();
    await expect
      .poll(
        async () => {
          const t = await serverTicket(number);
          return [t.state, t.workorder?.fieldStatus, t.workorder?.site];
        },
        { timeout: 60_000 },
      )
      .toEqual(['completed', 'work-done', 'HQ room 4, verified']);
    await expect.poll(() => page.getByTestId('rejected-change').count()).toBe(0);
    await expect.poll(() => page.getByTestId('refused-alert').count()).toBe(0);
    await desk.admin.request('DELETE', `/${PREFIX}tickets/${RULE_ID}?rev=${rule.rev}`);

    // The activity replicates on its own, and may land after the ticket: wait for it, then
    // check that each step and the site change are there exactly once.
    const entries = async () => {
      const activity = (await serverDocs('activity')).filter((d) => d.ticketNumber === number);
      const steps = activity
        .filter((a) => a.type === 'state-change')
        .map((a) => [(a.data as Doc).from, (a.data as Doc).to]);
      const site2 = activity.filter(
        (a) => a.type === 'field-change' && (a.data as Doc).field === 'workorder.site',
      );
      return { steps: steps.sort(), siteChanges: site2.length };
    };
    const expected = {
      steps: [
        ['assigned', 'in-progress'],
        ['in-progress', 'completed'],
      ].sort(),
      siteChanges: 1,
    };
    await expect.poll(entries, { timeout: 60_000 }).toEqual(expected);
    await waitForSyncState(page, 'in-sync', 60_000);
    expect(await entries()).toEqual(expected);
    await context.close();
  });
});

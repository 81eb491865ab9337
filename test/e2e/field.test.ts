/**
 * A field technician's day in Chromium against the real embedded server: the work is on the
 * device before leaving, the server becomes unreachable, the technician completes a work order
 * (checklist, three photos, time entries with a timer that survives a reload, a part, the
 * customer's signature), the page is reloaded twice and killed once mid-write, a dispatcher
 * changes the same work order meanwhile, and when the server is back it has every record and
 * every file exactly once, with the dispatcher's edit merged and the clash recorded. Two more
 * work orders go from assigned to completed offline, one with a reload before reconnecting and
 * one with the web host stopped during the reload: each step of each is in the activity once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { asUser, startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import { createTicket, newTicketNumber, transition, type Ticket } from '../../shared/domain';

type Doc = Record<string, unknown>;
let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 100 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

/** A work order assigned to tara and started, written by the dispatcher (sam). */
async function dispatchWorkOrder(): Promise<string> {
  const now = new Date(Date.now() - 3600_000);
  const number = newTicketNumber('workorder', {
    now: now.getTime(),
    deviceId: 'e2e-field',
    random: Math.random,
  });
  const r = createTicket(
    {
      kind: 'workorder',
      title: 'Replace the badge reader at the east door',
      description: 'Reader does not power on. Bring a spare **BR-200**.',
      requesterId: 'person:caller-0001',
      ciId: 'ci:lt-001',
      category: 'hardware',
      impact: 2,
      urgency: 2,
      groupId: 'group:field',
      assigneeId: 'tara',
    },
    { now: now.toISOString(), actor: 'sam', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  const started = transition(r.value, 'in-progress', {}, { now: now.toISOString(), actor: 'sam' });
  if (!started.ok) throw new Error(started.error.message);
  const wo: Ticket = {
    ...started.ticket,
    workorder: {
      fieldStatus: 'scheduled',
      site: 'HQ Floor 1, east entrance',
      contactId: 'person:caller-0001',
      scheduledFor: new Date(Date.now() + 3600_000).toISOString(),
      checklist: [
        { id: 'arrive', label: 'Check in with the site contact', required: true },
        { id: 'swap', label: 'Swap the reader', required: true },
        { id: 'tidy', label: 'Leave the workplace tidy', required: false },
        { id: 'verify', label: 'Verify a badge opens the door', required: true },
      ],
    },
  };
  const { number: id, ...body } = wo;
  await asUser(desk, 'sam').request('PUT', `/${PREFIX}tickets/${id}`, body);
  // An earlier incident about the same CI: not tara's, so not in her replica.
  const earlier = createTicket(
    {
      kind: 'incident',
      title: 'Earlier: reader flickers',
      description: '',
      requesterId: 'person:caller-0001',
      ciId: 'ci:lt-001',
      category: 'hardware',
      impact: 3,
      urgency: 3,
      groupId: 'group:service-desk',
      assigneeId: null,
    },
    {
      now: new Date(Date.now() - 86_400_000).toISOString(),
      actor: 'sam',
      number: newTicketNumber('incident', {
        now: Date.now() - 86_400_000,
        deviceId: 'e2e-field',
        random: Math.random,
      }),
    },
  );
  if (!earlier.ok) throw new Error(earlier.errors.join('; '));
  const { number: eid, ...ebody } = earlier.value;
  await asUser(desk, 'sam').request('PUT', `/${PREFIX}tickets/${eid}`, ebody);
  return id;
}

/** A work order assigned to tara, not started (the dispatcher's write). */
async function assignedWorkOrder(title: string): Promise<string> {
  const now = new Date(Date.now() - 3600_000).toISOString();
  const number = newTicketNumber('workorder', {
    now: Date.now() - 3600_000,
    deviceId: 'e2e-field',
    random: Math.random,
  });
  const r = createTicket(
    {
      kind: 'workorder',
      title,
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
  const { number: id, ...body } = {
    ...assigned.ticket,
    workorder: {
      fieldStatus: 'scheduled' as const,
      site: 'HQ Floor 2',
      contactId: null,
      scheduledFor: null,
      checklist: [{ id: 'check', label: 'Check the fix with the user', required: true }],
    },
  };
  await asUser(desk, 'sam').request('PUT', `/${PREFIX}tickets/${id}`, body);
  return id;
}

/** A real JPEG of about `kb` KB, drawn by the browser (noise does not compress). */
async function jpeg(page: Page, seed: number): Promise<Buffer> {
  const b64 = await page.evaluate(async (s) => {
    const c = new OffscreenCanvas(1200, 900);
    const ctx = c.getContext('2d')!;
    const img = ctx.createImageData(1200, 900);
    let x = s * 7919 + 1;
    for (let i = 0; i < img.data.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      img.data[i] = i % 4 === 3 ? 255 : x & 0xff;
    }
    ctx.putImageData(img, 0, 0);
    const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (const byte of bytes) bin += String.fromCharCode(byte);
    return btoa(bin);
  }, seed);
  return Buffer.from(b64, 'base64');
}

/** Ticks a checklist item; the box shows the recorded tick (an activity entry), so wait for it. */
async function tick(wo: ReturnType<Page['locator']>, label: string) {
  const box = wo.getByLabel(label);
  await box.click();
  await expect.poll(() => box.isChecked()).toBe(true);
}

async function openWorkOrder(page: Page, number: string) {
  await page.locator(`[data-testid="work-order-row"][data-number="${number}"]`).click();
  const wo = page.locator(`[data-testid="work-order"][data-number="${number}"]`);
  await wo.waitFor();
  return wo;
}

async function serverDocs(db: string): Promise<Doc[]> {
  const r = await desk.admin.request<{ rows: { doc: Doc }[] }>(
    'GET',
    `/${PREFIX}${db}/_all_docs?include_docs=true`,
  );
  return r.rows.map((x) => x.doc).filter((d) => !String(d._id).startsWith('_design/'));
}

describe('field technician', () => {
  it('completes a work order offline and everything arrives exactly once', async () => {
    const number = await dispatchWorkOrder();
    const context: BrowserContext = await browser.newContext();
    let page = await context.newPage();
    await signInAs(page, web.url, 'tara');
    await waitForSyncState(page, 'in-sync', 60_000);
    await page.getByTestId('field-page').waitFor();
    let wo = await openWorkOrder(page, number);
    await expect
      .poll(() => page.getByTestId('offline-ready').textContent())
      .toMatch(/available offline/);
    const photos = [await jpeg(page, 1), await jpeg(page, 2), await jpeg(page, 3)];

    // The network goes; from then on the server stays unreachable, even when the page itself
    // loads again from the web host (reloads below).
    await context.setOffline(true);
    await waitForSyncState(page, 'offline', 30_000);
    await context.route('**/couch/**', (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);

    await wo.getByRole('button', { name: 'Travelling' }).click();
    await wo.getByRole('button', { name: 'On site' }).click();
    await expect.poll(() => wo.getByTestId('wo-field-status').textContent()).toBe('On site');
    // Work done is refused while required items are open.
    await expect(wo.getByRole('button', { name: 'Work done' }).isDisabled()).resolves.toBe(true);
    await wo.getByTestId('completion-blocker').waitFor();
    await tick(wo, 'Check in with the site contact (required)');
    await tick(wo, 'Swap the reader (required)');

    // The technician corrects the site address; the dispatcher will change it too.
    await wo.getByRole('button', { name: 'Correct site' }).click();
    await wo.getByLabel('Site address').fill('HQ Floor 1, east entrance, door E2');
    await wo.getByRole('button', { name: 'Save site' }).click();
    await wo.getByTestId('wo-site').filter({ hasText: 'door E2' }).waitFor();

    await wo.getByRole('button', { name: 'Start timer' }).click();
    await wo.getByTestId('timer').waitFor();
    // Reload 1: the running timer survives, and the CI history is still there, offline.
    await page.reload();
    wo = await openWorkOrder(page, number);
    await wo.getByTestId('timer').waitFor();
    await wo.getByTestId('ci-history').filter({ hasText: 'Earlier: reader flickers' }).waitFor();
    await wo.getByRole('button', { name: 'Stop timer' }).click();
    await wo.getByTestId('time-entries').locator('li').first().waitFor();
    await wo.getByLabel('From', { exact: true }).fill('2026-11-25T08:00');
    await wo.getByLabel('To', { exact: true }).fill('2026-11-25T08:45');
    await wo.getByLabel('What was done').fill('Removed the old reader');
    await wo.getByRole('button', { name: 'Add time' }).click();
    await expect.poll(() => wo.getByTestId('time-entries').locator('li').count()).toBe(2);

    await wo
      .getByTestId('photo-input')
      .setInputFiles(
        photos.map((buffer, i) => ({ name: `door-${i + 1}.jpg`, mimeType: 'image/jpeg', buffer })),
      );
    await expect
      .poll(() => wo.locator('[data-testid="field-file"][data-kind="photo"]').count(), {
        timeout: 20_000,
      })
      .toBe(3);

    // Killed mid-write: the page dies while a part is being recorded.
    await wo.getByLabel('Part number').fill('BR-200');
    await wo.getByLabel('Part', { exact: true }).fill('Badge reader');
    await wo.getByRole('button', { name: 'Add part' }).click();
    await page.close({ runBeforeUnload: false });
    page = await context.newPage();
    await page.goto(web.url);
    await page.getByTestId('field-page').waitFor();
    wo = await openWorkOrder(page, number);
    // Once the earlier work shows, the part was either saved before the kill or not at all;
    // never half, never twice.
    await expect.poll(() => wo.getByTestId('time-entries').locator('li').count()).toBe(2);
    const parts = await wo.getByTestId('parts').locator('li').count();
    expect(parts).toBeLessThanOrEqual(1);
    if (parts === 0) {
      await wo.getByLabel('Part number').fill('BR-200');
      await wo.getByLabel('Part', { exact: true }).fill('Badge reader');
      await wo.getByRole('button', { name: 'Add part' }).click();
    }
    await expect.poll(() => wo.getByTestId('parts').locator('li').count()).toBe(1);

    await tick(wo, 'Verify a badge opens the door (required)');
    // The customer signs.
    const pad = wo.getByTestId('signature-canvas');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 30, box.y + 100);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++)
      await page.mouse.move(box.x + 30 + i * 15, box.y + 100 - (i % 5) * 12);
    await page.mouse.up();
    await wo.getByLabel('Name of the person signing').fill('Grace Hopper');
    await wo.getByRole('button', { name: 'Save signature' }).click();
    await wo.locator('[data-testid="field-file"][data-kind="signature"]').waitFor();
    await wo.getByRole('button', { name: 'Work done' }).click();
    await expect.poll(() => wo.getByTestId('wo-state').textContent()).toBe('completed');
    const completedAt = Date.now();

    // Reload 2, still offline: everything is still here, waiting.
    await page.reload();
    wo = await openWorkOrder(page, number);
    await expect
      .poll(() => wo.locator('[data-testid="field-file"][data-state="pending"]').count())
      .toBe(4);
    await expect.poll(() => page.getByText('not synced').count()).toBeGreaterThan(0);

    // Meanwhile the dispatcher reschedules and corrects the site on the server.
    const sam = asUser(desk, 'sam');
    const current = await sam.request<Ticket & { _rev: string }>(
      'GET',
      `/${PREFIX}tickets/${number}`,
    );
    const rescheduled = new Date(Date.now() + 86_400_000).toISOString();
    await sam.request('PUT', `/${PREFIX}tickets/${number}`, {
      ...current,
      workorder: {
        ...current.workorder,
        site: 'HQ Floor 1, east door (side entrance)',
        scheduledFor: rescheduled,
      },
      updatedAt: new Date().toISOString(),
      updatedBy: 'sam',
    });

    // Back online: everything arrives once.
    await context.unroute('**/couch/**');
    await waitForSyncState(page, 'in-sync', 60_000);
    // Each file goes up as its document, then its data: wait until all four have both.
    const complete = (d: Record<string, unknown>): boolean =>
      (d._attachments as Record<string, { length: number }> | undefined)?.data?.length === d.size;
    await expect
      .poll(
        async () =>
          (await serverDocs('attachments')).filter((d) => d.ticketNumber === number && complete(d))
            .length,
        { timeout: 60_000 },
      )
      .toBe(4);
    const files = (await serverDocs('attachments')).filter((d) => d.ticketNumber === number);
    expect(files.length).toBe(4);
    expect(files.filter((f) => String(f.name).startsWith('door-')).length).toBe(3);

    await expect
      .poll(
        async () => {
          const t = (await serverDocs('tickets')).find((d) => d._id === number) as
            Ticket | undefined;
          return t ? [t.state, t.workorder?.fieldStatus, t.workorder?.scheduledFor] : null;
        },
        { timeout: 30_000 },
      )
      .toEqual(['completed', 'work-done', rescheduled]);
    const server = (await serverDocs('tickets')).find((d) => d._id === number) as unknown as Ticket;
    // The completion keeps the device's time, for the SLA engine as is.
    expect(Date.parse(server.sla.resolvedAt!)).toBeLessThanOrEqual(completedAt);

    const activity = (await serverDocs('activity')).filter((d) => d.ticketNumber === number);
    const count = (type: string) => activity.filter((a) => a.type === type).length;
    expect(count('checklist-tick')).toBe(3);
    expect(count('time-entry')).toBe(2);
    expect(count('part')).toBe(1);
    expect(count('attachment')).toBe(3);
    expect(count('signature')).toBe(1);
    // Both changed the site: one value kept, the other recorded where the technician sees it.
    expect(count('conflict')).toBeGreaterThanOrEqual(1);
    const conflict = activity.find((a) => a.type === 'conflict')!;
    expect((conflict.data as Doc).field).toBe('workorder.site');
    await wo.getByTestId('conflict-record').first().waitFor();
    await expect
      .poll(() => wo.locator('[data-testid="field-file"][data-state="uploaded"]').count())
      .toBe(4);
    await context.close();
  });

  it('completes work orders from assigned offline across a reload, and with the web host stopped', async () => {
    const first = await assignedWorkOrder('Fit the spare dock in room 7');
    const second = await assignedWorkOrder('Swap the meeting room display');
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, web.url, 'tara');
    await waitForSyncState(page, 'in-sync', 60_000);
    await page.locator('html[data-offline-shell="ready"]').waitFor({ timeout: 30_000 });
    for (const n of [first, second])
      await page.locator(`[data-testid="work-order-row"][data-number="${n}"]`).waitFor();

    // The server becomes unreachable; each work order goes travelling → on site → work done.
    await context.route('**/couch/**', (route) => route.abort('internetdisconnected'));
    const complete = async (number: string) => {
      const wo = await openWorkOrder(page, number);
      await expect.poll(() => wo.getByTestId('wo-state').textContent()).toBe('assigned');
      await wo.getByRole('button', { name: 'Travelling' }).click();
      await wo.getByRole('button', { name: 'On site' }).click();
      await expect.poll(() => wo.getByTestId('wo-field-status').textContent()).toBe('On site');
      await tick(wo, 'Check the fix with the user (required)');
      await wo.getByRole('button', { name: 'Work done' }).click();
      await expect.poll(() => wo.getByTestId('wo-state').textContent()).toBe('completed');
    };
    await complete(first);
    // A reload before reconnecting: still completed, still waiting.
    await page.reload();
    await expect
      .poll(async () => (await openWorkOrder(page, first)).getByTestId('wo-state').textContent())
      .toBe('completed');
    await complete(second);
    // Now the web host stops too, and the page reloads: the offline shell starts it.
    const port = Number(new URL(web.url).port);
    await web.close();
    await page.reload();
    for (const n of [first, second])
      await expect
        .poll(async () => (await openWorkOrder(page, n)).getByTestId('wo-state').textContent())
        .toBe('completed');

    // The host and the server come back: both completions land, nothing refused.
    web = await startTestWeb(desk, port);
    await context.unroute('**/couch/**');
    await waitForSyncState(page, 'in-sync', 90_000);
    await expect
      .poll(
        async () =>
          (await serverDocs('tickets'))
            .filter((d) => d._id === first || d._id === second)
            .map((d) => [
              (d as unknown as Ticket).state,
              (d as unknown as Ticket).workorder?.fieldStatus,
            ]),
        { timeout: 60_000 },
      )
      .toEqual([
        ['completed', 'work-done'],
        ['completed', 'work-done'],
      ]);
    expect(await page.getByTestId('refused-alert').count()).toBe(0);
    expect(await page.getByTestId('sync-status').textContent()).not.toMatch(/rejected/);
    const summary = async (n: string) => {
      const mine = (await serverDocs('activity')).filter((a) => a.ticketNumber === n);
      return {
        steps: mine
          .filter((a) => a.type === 'state-change')
          .map((a) => `${String((a.data as Doc).from)}→${String((a.data as Doc).to)}`)
          .sort(),
        statuses: mine
          .filter(
            (a) => a.type === 'field-change' && (a.data as Doc).field === 'workorder.fieldStatus',
          )
          .map((a) => String((a.data as Doc).to))
          .sort(),
        ticks: mine.filter((a) => a.type === 'checklist-tick').length,
        // Every record exactly once: no two entries say the same thing.
        distinct:
          new Set(mine.map((a) => `${String(a.type)}|${String(a.body)}`)).size === mine.length,
      };
    };
    for (const n of [first, second])
      await expect
        .poll(() => summary(n), { timeout: 30_000 })
        .toEqual({
          steps: ['assigned→in-progress', 'in-progress→completed'],
          statuses: ['on-site', 'travelling', 'work-done'],
          ticks: 1,
          distinct: true,
        });
    await context.close();
  });
});

/**
 * The two-clients and faults scenarios of test/integration/sync (which run the data layer in Node
 * on fake-indexeddb) in Debian's Chromium, on real IndexedDB, through the console's own UI:
 * - two devices change the same ticket offline, then converge, every note kept once and the
 *   losing assignment recorded as a conflict;
 * - answers to pushes lost after the server applied them (the browser sees a failed request):
 *   no duplicates;
 * - the engine killed (SIGKILL) while a push is on its way: recovers, no duplicates.
 * Each replica is read straight from the page's IndexedDB and must equal the server; each fault
 * asserts that it fired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, type TestDesk } from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import { eventually } from '../support/eventually';
import { serverDocs } from '../support/replica-checks';
import { expectConverged, localDocs } from '../support/browser-replica';
import type { WebHost } from '../../server/src/web-host';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;
let open: string[];

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 200 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
  open = [...(await serverDocs(desk, 'tickets')).entries()]
    .filter(
      ([, t]) => t.kind === 'incident' && ['assigned', 'in-progress'].includes(String(t.state)),
    )
    .map(([n]) => n)
    .sort();
  // The cases below note on nine different open incidents.
  if (open.length < 9) throw new Error(`the demo desk has ${open.length} open incidents, not 9`);
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

async function device(user: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, web.url, user);
  await waitForSyncState(page, 'in-sync', 60_000);
  return { context, page };
}

const toggleOffline = (page: Page) => page.getByRole('button', { name: 'Work offline' }).click();

/** Opens ticket `n` from the palette, adds a note, and (given a user) assigns it to them. */
async function noteOn(page: Page, n: string, body: string, assignTo?: string) {
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox').fill(n);
  await page.getByTestId('palette-item').filter({ hasText: n }).first().waitFor();
  await page.keyboard.press('Enter');
  const panel = page.locator(`[data-testid="ticket-panel"][data-number="${n}"]`);
  await panel.waitFor();
  await page.keyboard.press('n');
  await page.keyboard.type(body);
  await page.keyboard.press('Control+Enter');
  await panel.getByTestId('activity-entry').filter({ hasText: body }).waitFor();
  await page.keyboard.press('Escape');
  if (assignTo) {
    await page.keyboard.press('a');
    // Written on this device (its IndexedDB), not only shown.
    await expect
      .poll(async () => (await localDocs(page, 'tickets')).get(n)?.assigneeId)
      .toBe(assignTo);
  }
}

async function notesOnServer(bodies: readonly string[]) {
  const all = [...(await serverDocs(desk, 'activity')).values()].map((a) => a.body);
  return bodies.map((b) => all.filter((x) => x === b).length);
}

describe('sync in Chromium, on real IndexedDB', () => {
  it('two devices change the same ticket offline, then converge', async () => {
    const [n] = open;
    if (!n) throw new Error('the test desk has no in-progress incident');
    const a = await device('alice');
    const b = await device('ben');
    try {
      await toggleOffline(a.page);
      await toggleOffline(b.page);
      await waitForSyncState(a.page, 'offline');
      await waitForSyncState(b.page, 'offline');
      await noteOn(a.page, n, 'alice, offline, same ticket', 'alice');
      await noteOn(b.page, n, 'ben, offline, same ticket', 'ben');
      await toggleOffline(a.page);
      await toggleOffline(b.page);
      await eventually(
        async () => {
          await expectConverged(desk, a.page);
          await expectConverged(desk, b.page);
        },
        { timeoutMs: 90_000, intervalMs: 1_000 },
      );
      expect(
        await notesOnServer(['alice, offline, same ticket', 'ben, offline, same ticket']),
      ).toEqual([1, 1]);
      const ticket = (await serverDocs(desk, 'tickets')).get(n)!;
      expect(['alice', 'ben']).toContain(ticket.assigneeId);
      // The assignment that lost is recorded, not dropped.
      const conflicts = [...(await serverDocs(desk, 'activity')).values()].filter(
        (x) => x.ticketNumber === n && x.type === 'conflict',
      );
      expect(conflicts.map((c) => (c.data as { field?: string }).field)).toContain('assigneeId');
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  it('loses no note and doubles none when push answers are lost after the server applied them', async () => {
    const a = await device('alice');
    try {
      let lost = 0;
      await a.page.route('**/_bulk_docs*', async (route) => {
        if (route.request().method() !== 'POST' || lost >= 2) return route.continue();
        // The server applies the write; its answer never reaches the page.
        await route.fetch();
        lost += 1;
        return route.abort('connectionreset');
      });
      await toggleOffline(a.page);
      await waitForSyncState(a.page, 'offline');
      const bodies = open.slice(1, 5).map((n, i) => `lost-answer note ${i} on ${n}`);
      for (const [i, body] of bodies.entries()) await noteOn(a.page, open[i + 1]!, body);
      await toggleOffline(a.page);
      await eventually(() => expectConverged(desk, a.page), {
        timeoutMs: 90_000,
        intervalMs: 1_000,
      });
      expect(lost).toBe(2);
      expect(await notesOnServer(bodies)).toEqual(bodies.map(() => 1));
    } finally {
      await a.context.close();
    }
  });

  it('recovers when the engine is killed while a push is on its way', async () => {
    const a = await device('alice');
    try {
      const pid = desk.server.enginePid();
      expect(pid).toBeTypeOf('number');
      const restarts = desk.server.engineRestarts();
      let killed = false;
      a.page.on('request', (r) => {
        if (!killed && r.method() === 'POST' && r.url().includes('_bulk_docs')) {
          killed = true;
          process.kill(pid!, 'SIGKILL');
        }
      });
      await toggleOffline(a.page);
      await waitForSyncState(a.page, 'offline');
      const bodies = open.slice(5, 9).map((n, i) => `engine-kill note ${i} on ${n}`);
      for (const [i, body] of bodies.entries()) await noteOn(a.page, open[i + 5]!, body);
      await toggleOffline(a.page);
      await eventually(() => expectConverged(desk, a.page), {
        timeoutMs: 120_000,
        intervalMs: 1_000,
      });
      expect(killed).toBe(true);
      expect(desk.server.engineRestarts()).toBe(restarts + 1);
      expect(await notesOnServer(bodies)).toEqual(bodies.map(() => 1));
    } finally {
      await a.context.close();
    }
  });
});

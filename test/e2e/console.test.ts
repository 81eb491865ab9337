/**
 * Agent console journeys in Chromium against the real embedded server: work a ticket from the
 * keyboard (open, assign, edit, note, reply, resolve), create every kind offline, two agents see
 * each other's presence and changes (stale-edit guard), palette, cheat sheet, saved views, and
 * an axe-core accessibility check in light and dark themes.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import {
  putIncident,
  startTestDesk,
  startTestWeb,
  PREFIX,
  type TestDesk,
} from '../support/desk-server';
import { openViaPalette, signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import type { Ticket } from '../../shared/domain';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 200 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

const serverTicket = (n: string) =>
  desk.admin.request<Ticket & { _rev: string }>('GET', `/${PREFIX}tickets/${n}`);

async function serverActivity(n: string): Promise<{ type: string; body: string }[]> {
  const r = await desk.admin.request<{
    rows: { doc: { ticketNumber?: string; type: string; body: string } }[];
  }>('GET', `/${PREFIX}activity/_all_docs?include_docs=true`);
  return r.rows.map((x) => x.doc).filter((d) => d.ticketNumber === n);
}

async function agent(name: string, opts: { bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext(opts.bypassCSP ? { bypassCSP: true } : {});
  const page = await context.newPage();
  await signInAs(page, web.url, name);
  await waitForSyncState(page, 'in-sync', 60_000);
  return page;
}

const putTicket = (title: string) =>
  putIncident(desk, title, {
    description: 'Printer on **floor 3** jams.',
    deviceId: 'e2e-console',
  });

describe('agent console', () => {
  it('works a ticket by keyboard: open, assign, edit, note, reply, resolve', async () => {
    const number = await putTicket('Printer jam on floor 3');
    const page = await agent('alice');
    await openViaPalette(page, number);
    const panel = page.getByTestId('ticket-panel');
    // The description renders as sanitized markdown.
    await expect
      .poll(() => panel.getByTestId('ticket-description').innerHTML())
      .toContain('<strong>floor 3</strong>');

    await page.keyboard.press('a');
    await expect.poll(async () => (await serverTicket(number)).assigneeId).toBe('alice');
    // An agent may not move it to another group (the server refuses it): the console says so
    // before any save.
    await panel.getByText('Only supervisors may move a ticket to another group.').waitFor();
    await expect(panel.getByLabel('Assignment group').isDisabled()).resolves.toBe(true);

    await panel.getByLabel('Urgency').click();
    await page.getByRole('option', { name: '1 - High' }).click();
    await expect(panel.getByTestId('derived-priority').textContent()).resolves.toBe('Priority P3');
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await serverTicket(number)).priority).toBe(3);

    await page.keyboard.press('n');
    await page.keyboard.type('Checked the **spooler**.');
    await page.keyboard.press('Control+Enter');
    await panel.locator('[data-type="work-note"] strong', { hasText: 'spooler' }).waitFor();
    await page.keyboard.press('Escape');

    await page.keyboard.press('r');
    await panel.getByTestId('reply-warning').waitFor();
    await page.keyboard.type('We are on it.');
    await page.keyboard.press('Control+Enter');
    await panel.locator('[data-type="reply"]', { hasText: 'We are on it.' }).waitFor();
    await page.keyboard.press('Escape');

    // Resolve needs its code and notes, asked for in a dialog.
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Resolution code').fill('fixed');
    await dialog.getByLabel('Resolution notes').fill('Cleared the jam, replaced the roller.');
    await dialog.getByRole('button', { name: /resolve/i }).click();
    await expect.poll(() => panel.getByTestId('ticket-state').textContent()).toBe('resolved');

    await waitForSyncState(page, 'in-sync');
    await expect
      .poll(async () => {
        const t = await serverTicket(number);
        return [t.state, t.resolution?.code];
      })
      .toEqual(['resolved', 'fixed']);
    await expect
      .poll(async () => (await serverActivity(number)).map((a) => a.type).sort())
      .toEqual(expect.arrayContaining(['reply', 'work-note']));
    await page.context().close();
  });

  it('creates an incident, a request, a problem and a change offline', async () => {
    const page = await agent('ben');
    await page.getByRole('button', { name: 'Work offline' }).click();
    await waitForSyncState(page, 'offline');
    const created: string[] = [];
    for (const kind of ['Incident', 'Service request', 'Problem', 'Change']) {
      await page.getByRole('button', { name: 'New ticket' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Kind').click();
      await page.getByRole('option', { name: kind, exact: true }).click();
      if (kind === 'Service request') {
        await dialog.getByLabel('Catalog item').click();
        await page.getByRole('option', { name: 'VPN access' }).click();
      } else if (kind === 'Incident') {
        await dialog.getByLabel('Template').click();
        await page.getByRole('option', { name: 'VPN not connecting' }).click();
      }
      await dialog.getByLabel('Title').fill(`Offline ${kind} from the field`);
      await dialog.getByRole('button', { name: 'Create' }).click();
      const toast = page.getByText(/^Created [A-Z]+-/);
      await toast.waitFor();
      created.push(((await toast.textContent()) ?? '').replace('Created ', ''));
      await toast.waitFor({ state: 'hidden', timeout: 10_000 });
    }
    expect(created.map((n) => n.split('-')[0])).toEqual(['INC', 'REQ', 'PRB', 'CHG']);
    // Numbers are final while offline; the pending page lists all four (each ticket, and the
    // activity of its SLA record).
    await page.getByTestId('nav-pending').click();
    for (const n of created) {
      const items = page.getByTestId('pending-list').locator('li');
      await items.filter({ hasText: `Ticket ${n}` }).waitFor();
      await items.filter({ hasText: `Activity on ${n}` }).waitFor();
    }

    await page.getByRole('button', { name: 'Work offline' }).click();
    await waitForSyncState(page, 'in-sync', 60_000);
    const onServer = await Promise.all(created.map(serverTicket));
    expect(onServer.map((t) => t.kind)).toEqual(['incident', 'request', 'problem', 'change']);
    expect(onServer[0]!.groupId).toBe('group:network'); // from the VPN template
    expect(onServer[1]!.request).toEqual({
      catalogItemId: 'catalog:vpn-access',
      approval: 'pending',
    });
    expect(onServer[3]!.change?.type).toBe('normal');
    await page.getByText('Everything on this device has been sent.').waitFor();
    await page.context().close();
  });

  it('two agents see each other on a ticket, and a clashing edit needs an explicit overwrite', async () => {
    const number = await putTicket('Shared screen flickers');
    const alice = await agent('alice');
    const ben = await agent('ben');
    await openViaPalette(alice, number);
    await openViaPalette(ben, number);
    await alice.getByTestId('presence-chip').filter({ hasText: 'ben is viewing' }).waitFor();
    await ben.getByTestId('presence-chip').filter({ hasText: 'alice is viewing' }).waitFor();

    // Ben starts editing the title: Alice sees it.
    const benTitle = ben.getByTestId('ticket-panel').getByLabel('Title');
    await benTitle.fill('Shared screen flickers (ben)');
    await alice.getByTestId('presence-chip').filter({ hasText: 'ben is editing' }).waitFor();

    // Alice changes the title too and saves first.
    const aliceTitle = alice.getByTestId('ticket-panel').getByLabel('Title');
    await aliceTitle.fill('Shared screen flickers (alice)');
    await alice
      .getByTestId('ticket-panel')
      .getByRole('button', { name: 'Save', exact: true })
      .click();
    await expect
      .poll(async () => (await serverTicket(number)).title)
      .toBe('Shared screen flickers (alice)');

    // Ben's save is held back: the banner names the clash and asks.
    const banner = ben.getByTestId('stale-edit-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Shared screen flickers (alice)');
    await expect(
      ben
        .getByTestId('ticket-panel')
        .getByRole('button', { name: 'Save', exact: true })
        .isDisabled(),
    ).resolves.toBe(true);
    await banner.getByRole('button', { name: 'Overwrite' }).click();
    await expect
      .poll(async () => (await serverTicket(number)).title)
      .toBe('Shared screen flickers (ben)');
    // Alice was only looking: she sees the change live, with who made it.
    await alice.getByTestId('changed-banner').filter({ hasText: 'ben' }).waitFor();
    await expect.poll(() => aliceTitle.inputValue()).toBe('Shared screen flickers (ben)');

    await ben.getByRole('button', { name: 'Close tab ' + number }).click();
    await expect
      .poll(() => alice.getByTestId('presence-chip').count(), { timeout: 15_000 })
      .toBe(0);
    await alice.context().close();
    await ben.context().close();
  });

  it('palette, cheat sheet and saved views work from the keyboard and survive a reload', async () => {
    await putTicket('Printer toner low');
    const page = await agent('alice');
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.getByText('Reply to the requester', { exact: false }).count();
    await sheet.getByText('Search the queue').waitFor();
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox').fill('pending');
    await page.keyboard.press('Enter');
    await page.getByTestId('pending-page').waitFor();
    await page.keyboard.press('g');
    await page.getByRole('grid', { name: 'Tickets' }).waitFor();

    await page.getByRole('button', { name: 'New view' }).click();
    const editor = page.getByRole('dialog');
    await editor.getByLabel('View name').fill('Printers');
    await editor.getByLabel('Text (all words must appear)').fill('printer');
    await editor.getByRole('button', { name: 'Save view' }).click();
    await page.getByTestId('view-custom-printers').waitFor();
    const count = Number(await page.getByTestId('view-count-custom-printers').textContent());
    expect(count).toBeGreaterThan(0);
    await page.getByTestId('queue-row').filter({ hasText: 'Printer toner low' }).waitFor();
    await page.reload();
    await page.getByTestId('view-custom-printers').waitFor();
    await expect
      .poll(async () => Number(await page.getByTestId('view-count-custom-printers').textContent()))
      .toBe(count);
    await page.context().close();
  });

  it('has no serious or critical axe-core violations, light and dark', async () => {
    const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    const page = await agent('alice', { bypassCSP: true });
    const number = await putTicket('Accessibility check ticket');
    await openViaPalette(page, number);
    const check = async (where: string) => {
      // Colours are checked at rest: a button still fading between two states (transitions of
      // 250 ms) would be measured half-way on a slow machine.
      await page.addStyleTag({
        content:
          '*, *::before, *::after { transition: none !important; animation: none !important; }',
      });
      await page.addScriptTag({ path: axeSource });
      const found = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (
                ctx: Document,
                opts: object,
              ) => Promise<{
                violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
              }>;
            };
          }
        ).axe;
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(found, where).toEqual([]);
    };
    // A keyboard-focused button shows a ring of 2 px or more, 3:1 against the page (WCAG 2.2
    // focus appearance): Shift+Tab then Tab brings keyboard focus back to the button.
    const ring = async (where: string) => {
      await page.getByRole('button', { name: 'New view' }).focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      const seen = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const s = getComputedStyle(el);
        const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
        const lum = (c: string) => {
          const [r, g, b] = rgb(c).map((v) => {
            const x = v / 255;
            return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
        };
        const [a, b] = [lum(s.outlineColor), lum(getComputedStyle(document.body).backgroundColor)];
        return {
          text: el.textContent,
          style: s.outlineStyle,
          width: parseFloat(s.outlineWidth),
          contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
        };
      });
      expect(seen.text, where).toBe('New view');
      expect(seen.style, where).toBe('solid');
      expect(seen.width, where).toBeGreaterThanOrEqual(2);
      expect(seen.contrast, where).toBeGreaterThanOrEqual(3);
    };
    await ring('light');
    await check('queue + ticket, light');
    // The sync chip in its warning colours too (offline), not only in its green.
    await page.getByRole('button', { name: 'Work offline' }).click();
    await waitForSyncState(page, 'offline');
    await check('queue + ticket, light, offline');
    await page.getByRole('button', { name: 'Work offline' }).click();
    await page.keyboard.press('t');
    // Dark for real before it is checked: the toggle says so and the page is painted dark.
    await page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
    expect(Math.max(r ?? 255, g ?? 255, b ?? 255), `body background ${background}`).toBeLessThan(
      80,
    );
    await ring('dark');
    await check('queue + ticket, dark');
    await page.getByTestId('nav-pending').click();
    await check('pending, dark');
    await page.context().close();
  });
});

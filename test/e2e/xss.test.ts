/**
 * User-supplied text stays inert: an XSS corpus in titles, descriptions and work notes (written
 * by another user straight to the server) is shown in the queue and the ticket panel; no script
 * runs, no dialog opens, nothing is fetched from another host, no CSP violation occurs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import { createTicket, newTicketNumber } from '../../shared/domain';

export const XSS_CORPUS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '<svg onload="window.__xss = 3"><circle r=1 /></svg>',
  '[click me](javascript:window.__xss=4)',
  '<a href="javascript:window.__xss=5">link</a>',
  '![x](https://evil.example.com/pixel.png)',
  '<iframe src="https://evil.example.com"></iframe>',
  '"><script>window.__xss=6</script>',
  '<style>@import url(https://evil.example.com/x.css)</style>',
  '[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9Nzwvc2NyaXB0Pg==)',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=8">',
] as const;

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

describe('XSS corpus', () => {
  it('renders every payload as text in the queue and the ticket panel', async () => {
    const numbers: string[] = [];
    for (const [i, payload] of XSS_CORPUS.entries()) {
      const now = new Date(Date.now() - i * 1000);
      const number = newTicketNumber('incident', {
        now: now.getTime(),
        deviceId: 'xss',
        random: Math.random,
      });
      const r = createTicket(
        {
          kind: 'incident',
          title: payload.slice(0, 200),
          description: `${payload}\n\n${payload}`,
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
      await desk.admin.request('PUT', `/${PREFIX}activity/${id}:xss`, {
        ticketNumber: id,
        type: 'work-note',
        at: now.toISOString(),
        by: 'ben',
        schemaVersion: 1,
        body: payload,
        data: {},
      });
      numbers.push(id);
    }

    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    const foreign: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(web.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    await page.addInitScript(() => {
      (window as unknown as { __csp: string[] }).__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { __csp: string[] }).__csp.push(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      );
    });
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync');
    for (const [i, n] of numbers.entries()) {
      const row = page.locator(`[data-testid="queue-row"][data-number="${n}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain(XSS_CORPUS[i]!.slice(0, 30));
      await row.click();
      const panel = page.locator(`[data-testid="ticket-panel"][data-number="${n}"]`);
      await panel.waitFor();
      await panel.getByTestId('activity-entry').first().waitFor();
      await page.getByRole('link', { name: 'click me' }).count(); // no link is created from text
    }
    await page.waitForTimeout(500);
    const state = await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: number }).__xss ?? null,
      csp: (window as unknown as { __csp: string[] }).__csp,
      scripts: document.querySelectorAll('main script, main iframe, main img, main svg[onload]')
        .length,
    }));
    expect(state).toEqual({ xss: null, csp: [], scripts: 0 });
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });
});

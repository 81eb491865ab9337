/**
 * The whole mail loop in alice's open console: a mail arrives → the incident appears with its
 * attachment; alice replies (the composer says to whom) → the reply reaches the test SMTP server
 * with the ticket's threading headers; alice resolves; the requester answers → the reply shows on
 * the ticket and reopens it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { openViaPalette, signInAs, waitForSyncState } from '../support/console-page';
import { mailTo, servicesConfigFor, startTestSmtp, type TestSmtp } from '../support/mail';
import { eventually } from '../support/eventually';
import { startDeskServices, type DeskServices } from '../../server/src/services';
import type { WebHost } from '../../server/src/web-host';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let desk: TestDesk;
let web: WebHost;
let browser: Browser;
let smtp: TestSmtp;
let services: DeskServices;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 20 });
  web = await startTestWeb(desk);
  smtp = await startTestSmtp();
  services = await startDeskServices(servicesConfigFor(desk, smtp.url));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await services?.stop();
  await smtp?.close();
  await web?.close();
  await desk?.stop();
});

describe('mail in the open console', () => {
  it('mail → incident with attachment → reply mailed with threading → answer reopens', async () => {
    const page = await browser.newPage();
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync', 60_000);

    await mailTo(services.inboundPort!, {
      from: 'Rita Outside <rita@outside.example>',
      subject: 'Scanner eats paper',
      text: 'The scanner on floor 2 eats every page.',
      messageId: '<first.rita@outside.example>',
      attachments: [{ filename: 'scan.pdf', content: PDF, contentType: 'application/pdf' }],
    });
    // The new incident appears in alice's open queue.
    const row = page.getByTestId('queue-row').filter({ hasText: 'Scanner eats paper' });
    await row.waitFor({ timeout: 30_000 });
    const ack = await eventually(() => {
      const m = smtp.received.find((r) => r.mail.subject?.includes('Scanner eats paper'));
      if (!m) throw new Error('no acknowledgement yet');
      return m;
    });
    const number = /\[(INC-[0-9A-Z]{12})\]/.exec(ack.mail.subject ?? '')![1]!;
    await openViaPalette(page, number);
    const panel = page.getByTestId('ticket-panel');
    await panel.locator('[data-type="attachment"]', { hasText: 'scan.pdf' }).waitFor();
    await panel.getByTestId('ticket-description').getByText('eats every page').waitFor();

    // alice replies; the composer says who it is mailed to.
    await page.keyboard.press('r');
    await expect
      .poll(() => panel.getByTestId('reply-recipient').textContent())
      .toBe('It will be mailed to Rita Outside <rita@outside.example>.');
    await page.keyboard.type('Please try the tray on the left.');
    await page.keyboard.press('Control+Enter');
    await panel.locator('[data-type="reply"]', { hasText: 'tray on the left' }).waitFor();
    await page.keyboard.press('Escape');
    const reply = await eventually(() => {
      const m = smtp.received.find((r) => r.mail.text?.includes('tray on the left'));
      if (!m) throw new Error('reply not delivered yet');
      return m;
    });
    expect(reply.to).toEqual(['rita@outside.example']);
    expect(reply.mail.subject).toBe(`Re: [${number}] Scanner eats paper`);
    expect(reply.mail.inReplyTo).toBe('<first.rita@outside.example>');
    expect(reply.mail.references).toEqual([
      '<first.rita@outside.example>',
      `<sb.${number}@desk.test>`,
    ]);
    // Its delivery record shows on the ticket.
    await panel.locator('[data-type="delivery"][data-delivery="sent"]').first().waitFor();

    // alice resolves; the requester answers within the reopen window.
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Resolution code').fill('fixed');
    await dialog.getByLabel('Resolution notes').fill('Tray swapped.');
    await dialog.getByRole('button', { name: /resolve/i }).click();
    await expect.poll(() => panel.getByTestId('ticket-state').textContent()).toBe('resolved');
    await waitForSyncState(page, 'in-sync');
    await mailTo(services.inboundPort!, {
      from: 'rita@outside.example',
      subject: 'Re: Scanner',
      inReplyTo: reply.mail.messageId!,
      references: ['<first.rita@outside.example>', reply.mail.messageId!],
      text: 'Still eating paper, sorry.',
    });
    await panel
      .locator('[data-type="reply"]', { hasText: 'Still eating paper' })
      .waitFor({ timeout: 30_000 });
    await expect
      .poll(() => panel.getByTestId('ticket-state').textContent(), { timeout: 30_000 })
      .toBe('in-progress');
    const t = await desk.admin.request<{ state: string }>('GET', `/${PREFIX}tickets/${number}`);
    expect(t.state).toBe('in-progress');
  });

  it('lists undelivered mail in Pending and shows desk services to an admin', async () => {
    smtp.mode = 'refuse';
    try {
      await mailTo(services.inboundPort!, {
        from: 'Nick Nowhere <nick@outside.example>',
        subject: 'Monitor flickers',
        text: 'Flicker.',
      });
      const page = await browser.newPage();
      await signInAs(page, web.url, 'alice');
      await waitForSyncState(page, 'in-sync', 60_000);
      await page.getByTestId('nav-pending').click();
      await page
        .getByTestId('failed-mail')
        .getByText(
          /to nick@outside\.example · Mail to nick@outside\.example could not be delivered/,
        )
        .waitFor({ timeout: 30_000 });
      await page.close();
    } finally {
      smtp.mode = 'accept';
    }
    const admin = await browser.newPage();
    await signInAs(admin, web.url, 'ada');
    await admin.getByTestId('nav-pending').click();
    await expect
      .poll(() => admin.getByTestId('desk-services-status').textContent(), { timeout: 20_000 })
      .toMatch(/^Desk services \(1 running\) — test-a: mail-queue .*mail-send .*last error: .*550/);
  });
});

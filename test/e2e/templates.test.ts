/**
 * The Templates page: ada (admin) edits the public reply template, sees an unknown placeholder
 * and a script handler refused next to their fields, sees the preview filled with the sample
 * ticket (the HTML in a sandboxed frame), and saves version 1, which the server holds. alice
 * (agent) has no Templates page, and the server refuses her the templates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestDesk, startTestWeb, PREFIX, type TestDesk } from '../support/desk-server';
import { signInAs } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import { SAMPLE_VALUES } from '../../shared/services/mail-templates';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 2 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

describe('Templates page', () => {
  it('lets an admin edit a template with checks and a preview, and save a version', async () => {
    const ada = await browser.newPage();
    await signInAs(ada, web.url, 'ada');
    await ada.getByTestId('nav-templates').click();
    const page = ada.getByTestId('templates-page');
    await page.getByTestId('template-tab-reply').click();
    await page.getByText('The default template (never saved).').waitFor();
    const subject = page.getByLabel('Subject');
    const html = page.getByLabel('HTML', { exact: true });

    // An unknown placeholder: the error is shown under the subject, nothing can be saved.
    await subject.fill('Answer on [{{number}}]: {{ticket}}');
    await page.getByText(/^Unknown placeholder \{\{ticket\}\}/).waitFor();
    await page.getByTestId('template-preview-invalid').waitFor();
    const saveButton = page.getByRole('button', { name: 'Save version 1' });
    expect(await saveButton.isDisabled()).toBe(true);
    await subject.fill('Answer on [{{number}}]: {{title}}');

    // A script handler in the HTML is refused too.
    await html.fill('<p>Hello {{requesterName}}</p><img src=x onerror="top.pwned=1">{{body}}');
    await page.getByText(/no event handler attributes/).waitFor();
    expect(await saveButton.isDisabled()).toBe(true);
    await html.fill('<p>Hello {{requesterName}}</p>{{body}}<p>-- {{number}}</p>');

    // The preview: the sample ticket, the subject and text as text, the HTML in a sandbox.
    await page
      .getByTestId('template-preview-subject')
      .filter({ hasText: `Answer on [${SAMPLE_VALUES.number}]: ${SAMPLE_VALUES.title}` })
      .waitFor();
    const frame = page.getByTestId('template-preview-html');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const inside = ada.frameLocator('[data-testid="template-preview-html"]');
    expect(await inside.locator('p').first().textContent()).toBe(
      `Hello ${SAMPLE_VALUES.requesterName}`,
    );
    expect(await inside.locator('strong').textContent()).toBe('fuser unit');
    expect(await inside.locator('script').count()).toBe(0);

    await saveButton.click();
    await page.getByText(/^Version 1 saved/).waitFor();
    await page
      .getByTestId('template-version')
      .filter({ hasText: 'Version 1, saved by ada' })
      .waitFor();
    const stored = await desk.admin.request<Record<string, unknown>>(
      'GET',
      `/${PREFIX}services/template:reply`,
    );
    expect(stored).toMatchObject({
      kind: 'reply',
      version: 1,
      updatedBy: 'ada',
      subject: 'Answer on [{{number}}]: {{title}}',
      html: '<p>Hello {{requesterName}}</p>{{body}}<p>-- {{number}}</p>',
    });
    // The next edit saves version 2.
    await page.getByRole('button', { name: 'Save version 2' }).waitFor();
    await ada.close();
  });

  it('is not there for an agent, and the server refuses her the templates', async () => {
    const alice = await (await browser.newContext()).newPage();
    await signInAs(alice, web.url, 'alice');
    await alice.getByTestId('nav-pending').waitFor();
    expect(await alice.getByTestId('nav-templates').count()).toBe(0);
    // With her session (the console's own origin, /couch/ in front of the server).
    const status = await alice.evaluate(async (path) => {
      const r = await fetch(path, { credentials: 'include' });
      return r.status;
    }, `/couch/${PREFIX}services/template:reply`);
    expect([401, 403]).toContain(status);
    await alice.close();
  });
});

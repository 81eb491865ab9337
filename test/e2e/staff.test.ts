/**
 * The Staff page: ada (admin) creates an account through desk services, the new person signs in
 * with the temporary password and sets her own; ada sets her assignment groups, then disables
 * the account and its open session ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import {
  startTestDesk,
  startTestWeb,
  PREFIX,
  TEST_ADMIN,
  type TestDesk,
} from '../support/desk-server';
import { signInAs } from '../support/console-page';
import { servicesConfigFor } from '../support/mail';
import { eventually } from '../support/eventually';
import { startDeskServices, type DeskServices } from '../../server/src/services';
import type { WebHost } from '../../server/src/web-host';

let desk: TestDesk;
let web: WebHost;
let browser: Browser;
let services: DeskServices;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 5 });
  web = await startTestWeb(desk);
  services = await startDeskServices(
    servicesConfigFor(desk, undefined, {
      inboundPort: -1,
      usersAdmin: { user: TEST_ADMIN.user, password: TEST_ADMIN.password },
    }),
  );
  await eventually(() => desk.admin.request('GET', `/${PREFIX}services/checkpoint:staff`));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await services?.stop();
  await web?.close();
  await desk?.stop();
});

describe('Staff page', () => {
  it('creates an account the person signs in with, and disables it', async () => {
    const ada = await browser.newPage();
    await signInAs(ada, web.url, 'ada');
    await ada.getByTestId('nav-staff').click();
    const staff = ada.getByTestId('staff-page');
    await staff.getByLabel('Account name').fill('zoe');
    await staff.getByLabel('Full name').fill('Zoe Park');
    await staff.getByRole('button', { name: 'Ask desk services' }).click();
    const pw = (
      (await staff.getByTestId('temporary-password').textContent({ timeout: 20_000 })) ?? ''
    ).trim();
    expect(pw.length).toBeGreaterThan(10);
    // The accounts list (published by desk services) shows her, to set a new password.
    await staff
      .locator('[data-testid="staff-accounts"] tr[data-account="zoe"]')
      .filter({ hasText: 'sets a new password at next sign-in' })
      .waitFor({ timeout: 20_000 });

    const zoe = await (await browser.newContext()).newPage();
    await zoe.goto(web.url);
    await zoe.getByLabel('Name').fill('zoe');
    await zoe.getByLabel('Password').fill(pw);
    await zoe.getByRole('button', { name: 'Sign in' }).click();
    // A new (or reset) account sets its own password before the console opens.
    await zoe.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await zoe.getByLabel('New password', { exact: true }).fill('zoe chose this one');
    await zoe.getByLabel('New password again').fill('zoe chose this one');
    await zoe.getByRole('button', { name: 'Set the password' }).click();
    await zoe.getByTestId('signed-in-user').filter({ hasText: 'zoe' }).waitFor();
    const account = await desk.admin.request<{ mustChangePassword?: boolean }>(
      'GET',
      '/_users/org.couchdb.user:zoe',
    );
    expect(account.mustChangePassword).toBe(false);

    // Her assignment groups: the directory record the console reads as "my groups".
    await staff.getByRole('combobox', { name: 'Change' }).click();
    await ada.getByRole('option', { name: 'Set assignment groups' }).click();
    await staff.getByLabel('Account name').fill('zoe');
    await staff.getByRole('checkbox', { name: 'Network' }).check();
    await staff.getByRole('button', { name: 'Ask desk services' }).click();
    await staff
      .locator('[data-testid="staff-log"] li[data-state="done"]', { hasText: 'Set assignment' })
      .waitFor({ timeout: 20_000 });
    const person = await desk.admin.request<{ groupIds?: string[]; staff?: boolean }>(
      'GET',
      `/${PREFIX}directory/person:zoe`,
    );
    expect([person.staff, person.groupIds]).toEqual([true, ['group:network']]);

    await staff.getByRole('combobox', { name: 'Change' }).click();
    await ada.getByRole('option', { name: /Disable the account/ }).click();
    await staff.getByLabel('Account name').fill('zoe');
    await staff.getByRole('button', { name: 'Ask desk services' }).click();
    await staff
      .locator('[data-testid="staff-log"] li[data-state="done"]', { hasText: 'Disable' })
      .waitFor({ timeout: 20_000 });
    // Her session is over: the server no longer knows her cookie.
    await expect
      .poll(async () =>
        zoe.evaluate(
          async () =>
            (
              (await (await fetch('/couch/_session')).json()) as {
                userCtx?: { name: string | null };
              }
            ).userCtx?.name ?? null,
        ),
      )
      .toBeNull();
    // Agents have no Staff page.
    const alice = await (await browser.newContext()).newPage();
    await signInAs(alice, web.url, 'alice');
    expect(await alice.getByTestId('nav-staff').count()).toBe(0);
  });
});

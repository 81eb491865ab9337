/**
 * Retention of desk services' finished work, over the real embedded server, as the service
 * account: `done:` mail records and staff requests with their results older than the retention
 * are deleted, recent ones, claims still being worked on and audit records stay. And the guard
 * that keeps exactly-once: a public reply older than the queue horizon (an offline console
 * syncing weeks late) is not mailed, so a purged done record can never let a mail go twice,
 * while a fresh reply after it is mailed once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { eventually } from '../../support/eventually';
import { mailTo, servicesConfigFor, startTestSmtp, type TestSmtp } from '../../support/mail';
import { startDeskServices, type DeskServices } from '../../../server/src/services';
import { openStore } from '../../../server/src/services/store';
import { purgeOnce, queueHorizonMs } from '../../../server/src/services/retention';
import { DEMO_SERVICE_PASSWORD } from '../../../server/src/services/config';

const DAY = 86_400_000;
const RETENTION = 30 * DAY;

describe('retention of finished desk services work', () => {
  let desk: TestDesk;
  let smtp: TestSmtp;
  let services: DeskServices;

  beforeAll(async () => {
    desk = await startTestDesk({ tickets: 1 });
    smtp = await startTestSmtp();
    services = await startDeskServices(
      servicesConfigFor(desk, smtp.url, { retentionMs: RETENTION, purgeEveryMs: 3_600_000 }),
    );
    // Its own first purge has run (the next is an hour away): the test's purge is the only one.
    await eventually(() => {
      if (!services.status().retention?.doing.startsWith('purging finished work older'))
        throw new Error('first purge not done');
    });
  });
  afterAll(async () => {
    await services?.stop();
    await smtp?.close();
    await desk?.stop();
  });

  const status = async (id: string) =>
    (await desk.admin.tryRequest('GET', `/${PREFIX}services/${encodeURIComponent(id)}`)).status;

  it('deletes done records and staff requests past the retention, keeps the rest', async () => {
    const longAgo = new Date(Date.now() - 40 * DAY).toISOString();
    const now = new Date().toISOString();
    const put = (id: string, doc: Record<string, unknown>) =>
      desk.admin.request('PUT', `/${PREFIX}services/${encodeURIComponent(id)}`, doc);
    await put('done:old-1', { state: 'sent', at: longAgo });
    await put('done:old-2', { state: 'failed', at: longAgo });
    await put('done:new-1', { state: 'sent', at: now });
    await put('staff-request:old', { action: 'disable', name: 'x', by: 'ada', at: longAgo });
    await put('staff-result:old', { state: 'done', at: longAgo });
    await put('audit:old', { kind: 'staff', action: 'disable', at: longAgo });
    await put('staff-request:stuck', { action: 'disable', name: 'y', by: 'ada', at: longAgo });
    await put('staff-result:stuck', { state: 'working', at: longAgo });
    await put('staff-request:new', { action: 'disable', name: 'z', by: 'ada', at: now });
    await put('staff-result:new', { state: 'done', at: now });

    // As the service account, as desk services run it.
    const store = openStore(desk.url, 'desk-services', DEMO_SERVICE_PASSWORD, PREFIX);
    expect(await purgeOnce(store, RETENTION)).toEqual({ done: 2, staff: 1 });
    for (const gone of ['done:old-1', 'done:old-2', 'staff-request:old', 'staff-result:old'])
      expect(await status(gone), gone).toBe(404);
    for (const kept of [
      'done:new-1',
      'audit:old',
      'staff-request:stuck',
      'staff-result:stuck',
      'staff-request:new',
      'staff-result:new',
    ])
      expect(await status(kept), kept).toBe(200);
    // Nothing left to purge: a second run (or another instance) deletes nothing.
    expect(await purgeOnce(store, RETENTION)).toEqual({ done: 0, staff: 0 });
  });

  it('never mails a reply older than the queue horizon, so a purged record cannot cause a resend', async () => {
    expect(
      await mailTo(services.inboundPort!, {
        from: 'Rita Outside <rita@outside.example>',
        subject: 'VPN drops',
        text: 'Every ten minutes.',
      }),
    ).toMatch(/^250/);
    const ack = await eventually(() => {
      const m = smtp.received.find((r) => /^\[INC-[0-9A-Z]{12}\]/.test(r.mail.subject ?? ''));
      if (!m) throw new Error('no acknowledgement yet');
      return m;
    });
    const number = /\[(INC-[0-9A-Z]{12})\]/.exec(ack.mail.subject ?? '')![1]!;
    const alice = asUser(desk, 'alice');
    const reply = (id: string, at: string, body: string) =>
      alice.request('PUT', `/${PREFIX}activity/${encodeURIComponent(`${number}:reply:${id}`)}`, {
        ticketNumber: number,
        type: 'reply',
        at,
        by: 'alice',
        schemaVersion: 1,
        body,
        data: {},
      });
    // Written offline weeks ago, synced now: past the horizon.
    const late = new Date(Date.now() - queueHorizonMs(RETENTION) - DAY).toISOString();
    await reply('offline', late, 'Written offline long ago.');
    await reply('fresh', new Date().toISOString(), 'Written just now.');
    // The queuer handles changes in order: once the fresh reply is mailed, the late one was seen.
    await eventually(() => {
      if (!smtp.received.some((r) => r.mail.text?.includes('Written just now.')))
        throw new Error('no fresh reply yet');
    });
    expect(smtp.received.filter((r) => r.mail.text?.includes('Written just now.'))).toHaveLength(1);
    expect(smtp.received.some((r) => r.mail.text?.includes('Written offline long ago.'))).toBe(
      false,
    );
    const jobs = await desk.admin.request<{ rows: { doc: { key?: string } }[] }>(
      'GET',
      `/${PREFIX}services/_all_docs?include_docs=true&startkey="out:"&endkey="out:\ufff0"`,
    );
    expect(jobs.rows.some((r) => String(r.doc.key).includes('offline'))).toBe(false);
  });
});

/**
 * Templates an admin saves are what desk services send: over the real embedded server and a real
 * SMTP conversation, ada (admin) saves a new version of the public reply template; alice's next
 * reply is mailed with it (subject, plain text and HTML, values filled, escaped in the HTML);
 * another save applies to the reply after. The done record names the template version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { eventually } from '../../support/eventually';
import { mailTo, servicesConfigFor, startTestSmtp, type TestSmtp } from '../../support/mail';
import { startDeskServices, type DeskServices } from '../../../server/src/services';

describe('desk services mail with the saved templates', () => {
  let desk: TestDesk;
  let smtp: TestSmtp;
  let services: DeskServices;
  let number = '';
  let replies = 0;

  beforeAll(async () => {
    desk = await startTestDesk({ tickets: 1 });
    smtp = await startTestSmtp();
    services = await startDeskServices(servicesConfigFor(desk, smtp.url));
    expect(
      await mailTo(services.inboundPort!, {
        from: 'Rita Outside <rita@outside.example>',
        subject: 'Badge <reader> broken',
        text: 'The badge reader at the door does nothing.',
      }),
    ).toMatch(/^250/);
    const ack = await eventually(() => {
      const m = smtp.received.find((r) => /^\[INC-[0-9A-Z]{12}\]/.test(r.mail.subject ?? ''));
      if (!m) throw new Error('no acknowledgement yet');
      return m;
    });
    number = /\[(INC-[0-9A-Z]{12})\]/.exec(ack.mail.subject ?? '')![1]!;
  });
  afterAll(async () => {
    await services?.stop();
    await smtp?.close();
    await desk?.stop();
  });

  const save = async (version: number, subject: string, text: string, html: string) => {
    const cur = await desk.admin.tryRequest('GET', `/${PREFIX}services/template:reply`);
    await asUser(desk, 'ada').request('PUT', `/${PREFIX}services/template:reply`, {
      ...(cur.status === 200 ? { _rev: (cur.body as { _rev: string })._rev } : {}),
      kind: 'reply',
      subject,
      text,
      html,
      version,
      updatedBy: 'ada',
      updatedAt: new Date().toISOString(),
    });
  };
  const reply = async (body: string) => {
    const id = `${number}:reply:alice-${++replies}`;
    await asUser(desk, 'alice').request('PUT', `/${PREFIX}activity/${encodeURIComponent(id)}`, {
      ticketNumber: number,
      type: 'reply',
      at: new Date().toISOString(),
      by: 'alice',
      schemaVersion: 1,
      body,
      data: {},
    });
    return eventually(() => {
      const m = smtp.received.find((r) => r.mail.text?.includes(body));
      if (!m) throw new Error('no reply mail yet');
      return m;
    });
  };

  it('mails the next reply with the version ada saved, and the one after with the next', async () => {
    await save(
      1,
      'Update on [{{number}}]: {{title}}',
      'Dear {{requesterName}},\n\n{{body}}\n\nYour desk, version one',
      '<p>Dear {{requesterName}},</p>{{body}}<p><i>Your desk, version one</i> ({{title}})</p>',
    );
    const first = await reply('A technician comes at **noon**.');
    expect(first.mail.subject).toBe(`Update on [${number}]: Badge <reader> broken`);
    expect(first.mail.text).toContain('Dear Rita Outside,');
    expect(first.mail.text).toContain('Your desk, version one');
    const html = String(first.mail.html);
    expect(html).toContain('<p>Dear Rita Outside,</p>');
    expect(html).toContain('<strong>noon</strong>');
    // Values are escaped in the HTML part: the title's "<reader>" is text there.
    expect(html).toContain('(Badge &lt;reader&gt; broken)');
    expect(html).toContain('<i>Your desk, version one</i>');
    // Threading is kept whatever the template says.
    expect(first.mail.inReplyTo).toBeTruthy();

    await save(
      2,
      'Re: [{{number}}] {{title}} (v2)',
      '{{body}}\n-- version two',
      '<div>{{body}}</div><p>version two</p>',
    );
    const second = await reply('The reader is replaced.');
    expect(second.mail.subject).toBe(`Re: [${number}] Badge <reader> broken (v2)`);
    expect(second.mail.text).toContain('-- version two');
    expect(second.mail.text).not.toContain('version one');
    expect(String(second.mail.html)).toContain('<p>version two</p>');

    // Each reply was mailed once, and its done record names the template version it used.
    const done = await eventually(async () => {
      const rows = await desk.admin.request<{ rows: { doc: Record<string, unknown> }[] }>(
        'GET',
        `/${PREFIX}services/_all_docs?include_docs=true&startkey="done:"&endkey="done:\ufff0"`,
      );
      const versions = rows.rows.map((r) => r.doc.templateVersion).sort();
      if (versions.length < 3) throw new Error('not all done yet');
      return versions;
    });
    expect(done).toEqual([0, 1, 2]); // the acknowledgement used the default
    expect(smtp.received).toHaveLength(3);
  });
});

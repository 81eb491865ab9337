/**
 * Mail both ways over the real embedded server with real SMTP conversations: a mail from an
 * unknown sender becomes an incident (unverified requester, attachment in the attachments
 * database, HTML made safe) and is acknowledged; an agent's public reply is mailed with the
 * ticket's threading headers; the resolution is mailed; the requester's answer (In-Reply-To only)
 * lands on the ticket and reopens it. Loop protection and size limits answer clearly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { eventually } from '../../support/eventually';
import {
  mailTo,
  rawMailTo,
  servicesConfigFor,
  startTestSmtp,
  type TestSmtp,
} from '../../support/mail';
import { startDeskServices, type DeskServices } from '../../../server/src/services';
import { createTicket, newTicketNumber, transition, type Ticket } from '../../../shared/domain';
import { XSS_CORPUS } from '../../support/xss-corpus';
import { dangerIn } from '../../support/inert-markdown';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

type Row = { id: string; doc: Record<string, unknown> & { _id: string } };

describe('desk services: mail in and out', () => {
  let desk: TestDesk;
  let smtp: TestSmtp;
  let services: DeskServices;
  let inbound: number;

  const docs = async (db: string, prefix: string) =>
    (
      await desk.admin.request<{ rows: Row[] }>(
        'GET',
        `/${PREFIX}${db}/_all_docs?include_docs=true&startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(prefix + '\ufff0'))}`,
      )
    ).rows.map((r) => r.doc);
  const ticket = (n: string) =>
    desk.admin.request<Ticket & { _id: string; _rev: string }>('GET', `/${PREFIX}tickets/${n}`);
  const mailsAbout = (n: string) =>
    smtp.received.filter((r) => (r.mail.subject ?? '').includes(`[${n}]`));

  beforeAll(async () => {
    desk = await startTestDesk({ tickets: 3 });
    smtp = await startTestSmtp();
    services = await startDeskServices(servicesConfigFor(desk, smtp.url));
    inbound = services.inboundPort!;
  });
  afterAll(async () => {
    await services?.stop();
    await smtp?.close();
    await desk?.stop();
  });

  let number = '';
  let originalId = '';

  it('turns a new mail into an incident with its attachment and acknowledges it', async () => {
    const response = await mailTo(inbound, {
      from: 'Rita Outside <rita@outside.example>',
      subject: 'Printer on floor 3 is on fire',
      html: `<p>It <b>smokes</b>.</p>${XSS_CORPUS.join('<br>')}<img src="https://evil.example.com/t.png" alt="tracker">`,
      text: 'It smokes.',
      attachments: [{ filename: 'photo.pdf', content: PDF, contentType: 'application/pdf' }],
    });
    expect(response).toMatch(/^250/);
    const ack = await eventually(() => {
      const m = smtp.received.find((r) => /^\[INC-[0-9A-Z]{12}\]/.test(r.mail.subject ?? ''));
      if (!m) throw new Error('no acknowledgement yet');
      return m;
    });
    number = /\[(INC-[0-9A-Z]{12})\]/.exec(ack.mail.subject ?? '')![1]!;
    expect(ack.to).toEqual(['rita@outside.example']);
    expect(ack.mail.headers.get('auto-submitted')).toBe('auto-replied');
    const t = await ticket(number);
    expect(t.title).toBe('Printer on floor 3 is on fire');
    expect(t.kind).toBe('incident');
    // The mail's own Message-ID starts the thread; the acknowledgement answers it.
    const sent = await docs('services', `thread:${number}`);
    originalId = String(sent[0]?.messageId);
    expect(ack.mail.inReplyTo).toBe(originalId);
    // Unknown sender: a new, unverified requester.
    const person = await desk.admin.request<Record<string, unknown>>(
      'GET',
      `/${PREFIX}directory/${encodeURIComponent(t.requesterId)}`,
    );
    expect(person).toMatchObject({
      type: 'person',
      email: 'rita@outside.example',
      unverified: true,
      name: 'Rita Outside',
    });
    // HTML made inert: no tags, no remote image.
    expect(t.description).toContain('**smokes**');
    expect(dangerIn(t.description)).toEqual([]);
    // The attachment is in the attachments database, with its bytes, and on the ticket's activity.
    const files = await docs('attachments', `${number}:`);
    expect(files).toHaveLength(1);
    const res = await fetch(
      `${desk.url}/${PREFIX}attachments/${encodeURIComponent(files[0]!._id)}/data`,
      {
        headers: { authorization: 'Basic ' + Buffer.from('alice:switchboard').toString('base64') },
      },
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    const activity = await docs('activity', `${number}:`);
    expect(
      activity.some(
        (e) => e.type === 'attachment' && (e.data as { name?: string }).name === 'photo.pdf',
      ),
    ).toBe(true);
    // Delivery record: queued, then sent with the server's answer.
    await eventually(async () => {
      const d = (await docs('activity', `${number}:delivery:`)).map(
        (e) => (e.data as { state: string }).state,
      );
      expect(d.sort()).toEqual(['queued', 'sent']);
    });
  });

  let replyMessageId = '';

  it("mails alice's public reply with the ticket's threading headers, once", async () => {
    const alice = asUser(desk, 'alice');
    const id = `${number}:reply:alice-1`;
    await alice.request('PUT', `/${PREFIX}activity/${encodeURIComponent(id)}`, {
      ticketNumber: number,
      type: 'reply',
      at: new Date().toISOString(),
      by: 'alice',
      schemaVersion: 1,
      body: 'We are on our way with an **extinguisher**.',
      data: {},
    });
    const reply = await eventually(() => {
      const m = mailsAbout(number).find((r) => r.mail.subject?.startsWith('Re: '));
      if (!m) throw new Error('no reply mail yet');
      return m;
    });
    replyMessageId = reply.mail.messageId!;
    expect(replyMessageId).toMatch(new RegExp(`^<sb\\.${number}\\.[0-9a-z]+@desk\\.test>$`));
    expect(reply.mail.inReplyTo).toBe(originalId);
    expect(reply.mail.references).toEqual([originalId, `<sb.${number}@desk.test>`]);
    expect(reply.mail.text).toContain('extinguisher');
    expect(reply.mail.html).toContain('<strong>extinguisher</strong>');
    await eventually(async () => {
      const d = await docs('activity', `${number}:delivery:`);
      expect(d.filter((e) => (e.data as { state: string }).state === 'sent')).toHaveLength(2);
    });
    expect(mailsAbout(number).filter((r) => r.mail.messageId === replyMessageId)).toHaveLength(1);
  });

  it('mails the resolution; the requester answering (In-Reply-To only) reopens the ticket', async () => {
    const alice = asUser(desk, 'alice');
    const t = await ticket(number);
    const { _id, _rev, ...fields } = t;
    const r = transition(
      { ...fields, number: _id },
      'resolved',
      { resolution: { code: 'fixed', notes: 'Fire is out.' } },
      { now: new Date().toISOString(), actor: 'alice' },
    );
    if (!r.ok) throw new Error(r.error.message);
    const { number: n, ...rest } = r.ticket;
    await alice.request('PUT', `/${PREFIX}tickets/${n}`, { _id: n, _rev, ...rest });
    const resolution = await eventually(() => {
      const m = mailsAbout(number).find((x) => x.mail.subject?.startsWith('Resolved: '));
      if (!m) throw new Error('no resolution mail yet');
      return m;
    });
    expect(resolution.mail.text).toContain('Fire is out.');
    expect(resolution.mail.text).toMatch(/reply to this mail within 7 days/i);

    const response = await mailTo(inbound, {
      from: 'rita@outside.example',
      subject: 'Re: your mail',
      inReplyTo: replyMessageId,
      references: [originalId, replyMessageId],
      text: 'It is burning again!',
    });
    expect(response).toMatch(/^250/);
    await eventually(async () => {
      const t2 = await ticket(number);
      expect(t2.state).toBe('in-progress');
      expect(t2.updatedBy).toBe('desk-services');
    });
    const replies = (await docs('activity', `${number}:mail-`)).filter((e) => e.type === 'reply');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      by: (await ticket(number)).requesterId,
      body: 'It is burning again!',
    });
  });

  it('marks a delivery failed when its bounce (DSN) comes back', async () => {
    const dsn = [
      'From: MAILER-DAEMON@outside.example',
      'To: servicedesk@desk.test',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
      '',
      '--r',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--r',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.outside.example',
      '',
      'Final-Recipient: rfc822; rita@outside.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '--r',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${replyMessageId}`,
      `Subject: Re: [${number}] Printer on floor 3 is on fire`,
      '--r--',
      '',
    ].join('\r\n');
    expect(await rawMailTo(inbound, '', dsn)).toMatch(/^250 Queued/);
    const bounced = (await docs('activity', `${number}:delivery:`)).find((e) =>
      e._id.endsWith(':bounced'),
    );
    expect(bounced).toMatchObject({ type: 'delivery', data: { state: 'failed', bounced: true } });
    expect(String(bounced!.body)).toContain('550 5.1.1 user unknown');
  });

  it('never answers automatic mail, and refuses what is too large with a clear answer', async () => {
    const before = (await docs('services', 'in:')).length;
    const auto = await mailTo(inbound, {
      from: 'robot@outside.example',
      subject: 'Out of office',
      text: 'I am away',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(auto).toMatch(/^250 Not taken: Auto-Submitted/);
    const bulk = await rawMailTo(
      inbound,
      'news@outside.example',
      'From: news@outside.example\r\nSubject: Offers\r\nPrecedence: bulk\r\n\r\nBuy now\r\n',
    );
    expect(bulk).toMatch(/Precedence: bulk/);
    const self = await mailTo(inbound, {
      from: 'servicedesk@desk.test',
      subject: 'loop',
      text: 'x',
    });
    expect(self).toMatch(/the desk itself/);
    expect((await docs('services', 'in:')).length).toBe(before);
    expect((await docs('services', 'refused:')).length).toBeGreaterThanOrEqual(3);

    const big = await mailTo(inbound, {
      from: 'big@outside.example',
      subject: 'huge',
      text: 'x'.repeat(11 * 1024 * 1024),
    }).catch((err: unknown) => err as Error & { responseCode?: number });
    expect(big).toBeInstanceOf(Error);
    expect((big as { responseCode?: number }).responseCode).toBe(552);
    expect(String((big as Error).message)).toMatch(/at most 10 MB/);
  });

  it('marks the delivery failed when the relay refuses it for good', async () => {
    smtp.mode = 'refuse';
    try {
      const response = await mailTo(inbound, {
        from: 'bob@outside.example',
        subject: 'VPN down',
        text: 'No VPN',
      });
      expect(response).toMatch(/^250/);
      const failed = await eventually(async () => {
        const all = await docs('activity', 'INC-');
        const f = all.find(
          (e) =>
            e.type === 'delivery' &&
            (e.data as { state: string; to: string }).state === 'failed' &&
            (e.data as { to: string }).to === 'bob@outside.example',
        );
        if (!f) throw new Error('no failure record yet');
        return f;
      });
      expect(String(failed.body)).toMatch(/could not be delivered.*550|550.*mailbox unavailable/i);
    } finally {
      smtp.mode = 'accept';
    }
  });

  it('does not mail the resolution of a ticket resolved before desk services started', async () => {
    // A ticket created and resolved yesterday (an offline device, an import), arriving now.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const made = createTicket(
      {
        kind: 'incident',
        title: 'Old news',
        description: 'x',
        requesterId: 'person:caller-0001',
        ciId: null,
        category: 'general',
        impact: 3,
        urgency: 3,
        groupId: 'group:service-desk',
        assigneeId: null,
      },
      {
        now: yesterday,
        actor: 'alice',
        number: newTicketNumber('incident', {
          now: Date.now() - 86_400_000,
          deviceId: 'old',
          random: Math.random,
        }),
      },
    );
    if (!made.ok) throw new Error(made.errors.join());
    const started = transition(made.value, 'in-progress', {}, { now: yesterday, actor: 'alice' });
    if (!started.ok) throw new Error(started.error.message);
    const done = transition(
      started.ticket,
      'resolved',
      { resolution: { code: 'fixed', notes: 'n' } },
      { now: yesterday, actor: 'alice' },
    );
    if (!done.ok) throw new Error(done.error.message);
    const { number: oldNumber, ...fields } = done.ticket;
    const old = { _id: oldNumber };
    const alice = asUser(desk, 'alice');
    await alice.request('PUT', `/${PREFIX}tickets/${oldNumber}`, { _id: oldNumber, ...fields });
    // A later change on the same feed: once it is mailed, the edit before it has been handled.
    await alice.request(
      'PUT',
      `/${PREFIX}activity/${encodeURIComponent(`${number}:reply:alice-2`)}`,
      {
        ticketNumber: number,
        type: 'reply',
        at: new Date().toISOString(),
        by: 'alice',
        schemaVersion: 1,
        body: 'One more thing.',
        data: {},
      },
    );
    await eventually(() => {
      if (!smtp.received.some((r) => r.mail.text?.includes('One more thing.')))
        throw new Error('not yet');
    });
    await eventually(async () => {
      const cp = await desk.admin.request<{ seq: string }>(
        'GET',
        `/${PREFIX}services/checkpoint:mail-out-tickets`,
      );
      const info = await desk.admin.request<{ update_seq: string | number }>(
        'GET',
        `/${PREFIX}tickets`,
      );
      if (String(cp.seq) !== String(info.update_seq)) throw new Error('tickets feed not caught up');
    });
    expect(mailsAbout(old._id)).toEqual([]);
    expect(await docs('activity', `${old._id}:delivery:`)).toEqual([]);
  });

  it('reports what each worker does on the status endpoint', async () => {
    const s = (await (await fetch(`${services.statusUrl}status`)).json()) as {
      instances: {
        instance: string;
        workers: Record<string, { doing: string; backlog: number; lastError: unknown }>;
      }[];
    };
    expect(s.instances[0]?.instance).toBe('test-a');
    expect(Object.keys(s.instances[0]!.workers).sort()).toEqual([
      'mail-queue',
      'mail-receive',
      'mail-send',
      'retention',
      'status',
    ]);
    // The refused delivery above is the sender's last error.
    expect(JSON.stringify(s.instances[0]!.workers['mail-send']!.lastError)).toMatch(/550/);
  });

  it('gives mails arriving in the same second different ticket numbers', async () => {
    // Numbers made in one second differ only by a random part; a constant one makes every
    // mail of this second draw the same number (before the fix: the later ones refused, 451).
    const real = Math.random;
    Math.random = () => 0.25;
    let responses: string[];
    try {
      responses = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((i) =>
          mailTo(inbound, {
            from: `burst${i}@outside.example`,
            subject: `Burst ${i}`,
            text: `Mail ${i} of a burst.`,
          }),
        ),
      );
    } finally {
      Math.random = real;
    }
    for (const r of responses) expect(r).toMatch(/^250/);
    const made = await eventually(async () => {
      const all = await docs('services', 'in:');
      const numbers = all
        .filter((d) => String(d.from).startsWith('burst'))
        .map((d) => String(d.number));
      if (numbers.length < 6) throw new Error(`${numbers.length} of 6 inbound records`);
      return numbers;
    });
    expect(new Set(made).size).toBe(6);
    for (const n of made) expect((await ticket(n)).kind).toBe('incident');
  });
});

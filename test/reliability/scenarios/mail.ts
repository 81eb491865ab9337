/**
 * Mail under faults, with two desk services instances against one desk:
 * - mid-receive: mails go to both instances' listeners; one dies (SIGKILL) in the middle of the
 *   first mail it receives, after its inbound record and before the ticket (a sender that gets no
 *   250 tries the other instance, as an MTA would); every mail becomes exactly one ticket;
 * - mid-send: agents' replies are mailed while the test SMTP server stalls, then refuses for a
 *   while (451), and the instance holding a message is killed -9 as the message reaches the
 *   server; a third instance dies between the SMTP answer and the record (injected fault);
 * every reply reaches the server under one Message-ID, with exactly one "sent" record, and
 * nothing is mailed twice under different ids.
 */
import { startTestDesk, asUser, PREFIX } from '../../support/desk-server';
import { eventually } from '../../support/eventually';
import { rawMailTo, startTestSmtp } from '../../support/mail';
import { startServicesProcess, type ServicesProcess } from '../../support/services-process';
import { createRng } from '../../../server/src/provision/random';
import { deskMessageId } from '../../../shared/services/mail-format';
import type { ScenarioOptions, ScenarioResult } from '../types';

type Row = { id: string; doc: Record<string, unknown> & { _id: string } };

export async function mailReliability(o: ScenarioOptions): Promise<ScenarioResult> {
  const rng = createRng(o.seed);
  const mails = o.quick ? 12 : 80;
  const replies = o.quick ? 6 : 40;
  const desk = await startTestDesk({ tickets: 3 });
  const smtp = await startTestSmtp();
  const procs: ServicesProcess[] = [];
  const notes: string[] = [];
  let failures = 0;
  let lost = 0;
  let duplicated = 0;
  const docs = async (db: string, prefix: string) =>
    (
      await desk.admin.request<{ rows: Row[] }>(
        'GET',
        `/${PREFIX}${db}/_all_docs?include_docs=true&startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(prefix + '\ufff0'))}`,
      )
    ).rows.map((r) => r.doc);
  try {
    // Instance a dies in the middle of the first mail it receives (after its inbound record).
    const a = await startServicesProcess(desk, 'a', smtp.url, {
      SWITCHBOARD_SERVICES_FAULT: 'exit-mid-receive',
    });
    const b = await startServicesProcess(desk, 'b', smtp.url);
    procs.push(a, b);

    // Mid-receive.
    const killAt = rng.int(2, mails - 3);
    const subjects: string[] = [];
    for (let i = 0; i < mails; i++) {
      if (i === killAt && a.alive()) {
        void a.kill9();
        notes.push(`instance a killed (-9) before mail ${i}`);
      }
      const subject = `reliability mail ${o.seed}-${i}`;
      subjects.push(subject);
      const from = `sender${rng.int(1, 5)}@outside.example`;
      const raw =
        `From: ${from}\r\nTo: servicedesk@desk.test\r\nSubject: ${subject}\r\n` +
        `Message-ID: <m${o.seed}.${i}@outside.example>\r\nDate: ${new Date().toUTCString()}\r\n\r\nBody ${i}\r\n`;
      const first = rng.chance(0.5) ? a : b;
      let answered = false;
      for (const target of [first, first === a ? b : a, b]) {
        if (!target.alive()) continue;
        try {
          await rawMailTo(target.inboundPort, from, raw);
          answered = true;
          break;
        } catch {
          notes.push(`mail ${i}: no answer from ${target.id}, retried elsewhere`);
        }
      }
      if (!answered) failures += 1;
    }
    await eventually(
      async () => {
        const tickets = await docs('tickets', 'INC-');
        const titles = new Map<string, number>();
        for (const t of tickets)
          titles.set(String(t.title), (titles.get(String(t.title)) ?? 0) + 1);
        const missing = subjects.filter((s) => !titles.has(s));
        if (missing.length) throw new Error(`missing tickets: ${missing.join(', ')}`);
        duplicated += subjects.filter((s) => (titles.get(s) ?? 0) > 1).length;
      },
      { timeoutMs: 60_000 },
    ).catch((err: unknown) => {
      lost += 1;
      notes.push(String(err));
    });
    const a2 = await startServicesProcess(desk, 'a2', smtp.url);
    procs.push(a2);

    // Mid-send: stall, then refuse temporarily, with a kill -9 as the first message arrives.
    const tickets = (await docs('tickets', 'INC-')).filter((t) =>
      subjects.includes(String(t.title)),
    );
    smtp.mode = 'stall';
    let killed = false;
    smtp.onMessage = () => {
      if (!killed) {
        killed = true;
        void a2.kill9();
        notes.push('instance a2 killed as a message reached the SMTP server');
      }
    };
    const alice = asUser(desk, 'alice');
    const replyIds: string[] = [];
    for (let i = 0; i < replies; i++) {
      const t = rng.pick(tickets);
      const id = `${t._id}:reply:rel-${o.seed}-${i}`;
      replyIds.push(id);
      await alice.request('PUT', `/${PREFIX}activity/${encodeURIComponent(id)}`, {
        ticketNumber: t._id,
        type: 'reply',
        at: new Date().toISOString(),
        by: 'alice',
        schemaVersion: 1,
        body: `Reply ${i}`,
        data: {},
      });
    }
    // Let the stall cost at least one timed-out attempt, then a refusal, then accept.
    await eventually(async () => {
      const d = await docs('activity', 'INC-');
      if (!d.some((e) => (e.data as { state?: string }).state === 'retrying'))
        throw new Error('no failed attempt yet');
    });
    smtp.mode = 'defer';
    await eventually(async () => {
      const d = await docs('activity', 'INC-');
      if (!d.some((e) => String(e.body).includes('451'))) throw new Error('no refused attempt yet');
    });
    // A third instance that dies between the SMTP answer and its record.
    const c = await startServicesProcess(desk, 'c', smtp.url, {
      SWITCHBOARD_SERVICES_FAULT: 'exit-after-smtp',
    });
    procs.push(c);
    smtp.mode = 'accept';

    await eventually(
      async () => {
        const sent = (await docs('activity', 'INC-')).filter(
          (e) => e.type === 'delivery' && (e.data as { state?: string }).state === 'sent',
        );
        const byReply = new Map<string, number>();
        for (const e of sent) {
          const mid = String((e.data as { messageId?: string }).messageId);
          byReply.set(mid, (byReply.get(mid) ?? 0) + 1);
        }
        const pending = await docs('services', 'out:');
        if (pending.length) throw new Error(`${pending.length} mail(s) still pending`);
        return byReply;
      },
      { timeoutMs: 90_000 },
    ).then(
      (byMessageId) => {
        // Each reply: one Message-ID at the SMTP server, one sent record.
        for (const id of replyIds) {
          const number = id.slice(0, id.indexOf(':'));
          const expected = deskMessageId(number, `reply:${id}`, 'desk.test');
          const got = smtp.received.filter((r) => r.mail.messageId === expected);
          const others = smtp.received.filter(
            (r) =>
              r.mail.messageId !== expected &&
              r.mail.text?.startsWith(`Reply ${id.slice(id.lastIndexOf('-') + 1)}\n`),
          );
          duplicated += others.length;
          const ids = new Set(got.map((r) => r.mail.messageId));
          if (ids.size === 0) lost += 1;
          if (ids.size > 1) duplicated += ids.size - 1;
          for (const mid of ids) if ((byMessageId.get(String(mid)) ?? 0) !== 1) duplicated += 1;
          if (got.length > ids.size)
            notes.push(`${id}: resent under the same Message-ID after a crash`);
        }
      },
      (err: unknown) => {
        lost += 1;
        notes.push(String(err));
      },
    );
    notes.push(`c alive after its first send: ${c.alive()}`);
  } catch (err) {
    failures += 1;
    notes.push(`crashed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    for (const p of procs) await p.kill9();
    await smtp.close();
    await desk.stop();
  }
  return {
    scenario: 'mail',
    iterations: mails + replies,
    failures,
    lost,
    duplicated,
    seeds: [o.seed],
    notes,
  };
}

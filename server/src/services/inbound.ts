/**
 * Inbound mail: an SMTP listener (smtp-server) for a desk whose MX or relay forwards to it.
 * A message is answered 250 only once what it carries is in CouchDB (a new incident, or a
 * requester reply on its ticket, with attachments in the attachments database), or once its
 * refusal is recorded (`refused:<h>`). A CouchDB failure answers 451, so the sending server keeps
 * the message and retries: nothing is lost, and the retry finds the work done so far (ids derive
 * from the Message-ID) instead of doing it twice.
 */
import { createHash } from 'node:crypto';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail, type AddressObject } from 'mailparser';
import {
  REOPEN_WINDOW_DAYS,
  loopReason,
  stableHash,
  ticketNumberOf,
} from '../../../shared/services/mail-format';
import { createTicket, newTicketNumber, transition, type Ticket } from '../../../shared/domain';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from '../../../shared/field/attachments';
import { htmlToMarkdown } from './html-markdown';
import { jobHash, type DoneRecord } from './outbound';
import type { ServicesConfig } from './config';
import type { Doc, Store } from './store';
import { newStatus, noteError, type WorkerStatus } from './worker';
import { CouchError } from '../provision/couch-admin';
import { createLogger } from '../log';

const log = createLogger('mail-in');

export type Inbound = {
  readonly status: WorkerStatus;
  readonly port: number;
  readonly close: () => Promise<void>;
};

/** The outcome of one message. */
export type Outcome =
  | { kind: 'ticket'; number: string }
  | { kind: 'reply'; number: string; reopened: boolean }
  | { kind: 'bounce'; messageId: string }
  | { kind: 'refused'; reason: string };

class SmtpAnswer extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

const lower = (s: string | undefined): string => (s ?? '').trim().toLowerCase();

function firstAddress(
  a: AddressObject | AddressObject[] | undefined,
): { address: string; name: string } | null {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const o of list)
    for (const v of o.value)
      if (v.address) return { address: lower(v.address), name: v.name ?? '' };
  return null;
}

const header = (m: ParsedMail, name: string): string | undefined => {
  const v = m.headers.get(name);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  return undefined;
};

function plainToMarkdown(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/[<>]/g, (c) => `\\${c}`)
    .replace(/!\[/g, '!\\[')
    .trim();
}

/** Starts the listener. */
export async function startInbound(store: Store, config: ServicesConfig): Promise<Inbound> {
  const status = newStatus();
  status.doing = 'listening';
  const recent = new Map<string, number[]>();
  /** Ticket numbers this instance gave out lately (see freeNumber). */
  const issuedNumbers = new Set<string>();
  const services = store.db('services');
  const own = [lower(config.from)];

  const persons = { byEmail: new Map<string, Doc & { name?: string }>(), loaded: 0 };
  const loadPersons = async (): Promise<void> => {
    const docs = await store.byPrefix<Doc & { email?: string; name?: string }>(
      store.db('directory'),
      'person:',
    );
    persons.byEmail.clear();
    for (const d of docs) if (typeof d.email === 'string') persons.byEmail.set(lower(d.email), d);
    persons.loaded = Date.now();
  };

  const requesterFor = async (address: string, name: string): Promise<string> => {
    let p = persons.byEmail.get(address);
    if (!p) {
      await loadPersons();
      p = persons.byEmail.get(address);
    }
    if (p) return p._id;
    const id = `person:mail-${stableHash(address)}`;
    const doc = {
      _id: id,
      type: 'person',
      name: name.trim().slice(0, 200) || address,
      email: address,
      staff: false,
      unverified: true,
      source: 'email',
    };
    await store.put(store.db('directory'), doc); // 409: another instance added them first.
    persons.byEmail.set(address, doc);
    return id;
  };

  const refuse = async (key: string, reason: string, from: string): Promise<Outcome> => {
    await store.put(services, {
      _id: `refused:${stableHash(key)}`,
      reason,
      from,
      at: new Date().toISOString(),
    });
    log.info(`refused mail from ${from || 'unknown'}: ${reason}`);
    return { kind: 'refused', reason };
  };

  const saveAttachments = async (m: ParsedMail, number: string, h: string): Promise<string[]> => {
    const notKept: string[] = [];
    let i = 0;
    for (const a of m.attachments) {
      i += 1;
      const name = (a.filename ?? `attachment-${i}`).replace(/[\r\n]/g, ' ').slice(0, 200);
      const type = lower(a.contentType);
      if (ATTACHMENT_TYPES.indexOf(type) === -1 || a.size > MAX_ATTACHMENT_BYTES || a.size < 1) {
        notKept.push(`${name} (${type || 'unknown type'}, ${a.size} bytes)`);
        continue;
      }
      const id = `${number}:mail-${h}-${i}`;
      const db = store.db('attachments');
      const meta = {
        _id: id,
        ticketNumber: number,
        name,
        type,
        size: a.content.length,
        by: config.user,
        at: new Date().toISOString(),
      };
      try {
        let rev = await store.put(db, meta);
        if (rev === null) {
          const cur = await store.get<Doc & { _attachments?: unknown }>(db, id);
          rev = cur?._attachments ? null : (cur?._rev ?? null);
        }
        if (rev !== null) await store.putAttachment(db, id, rev, type, a.content);
      } catch (err) {
        // The server refusing the file (its type or bytes) costs the file, never the mail.
        if (err instanceof CouchError && err.status >= 400 && err.status < 500) {
          notKept.push(`${name} (refused by the server: ${err.reason.slice(0, 100)})`);
          continue;
        }
        throw err;
      }
      await store.put(store.db('activity'), {
        _id: `${number}:mail-${h}-${i}:attachment`,
        ticketNumber: number,
        type: 'attachment',
        at: new Date().toISOString(),
        by: config.user,
        schemaVersion: 1,
        body: `Attachment ${name} (by mail)`,
        data: { fileId: id, name, type, size: a.content.length },
      });
    }
    return notKept;
  };

  const bodyOf = (m: ParsedMail): string => {
    const body = m.html ? htmlToMarkdown(m.html) : plainToMarkdown(m.text ?? '');
    return body.slice(0, 20_000);
  };

  const bounce = async (m: ParsedMail): Promise<Outcome | null> => {
    const ct = lower(header(m, 'content-type'));
    const isReport =
      ct.includes('multipart/report') ||
      m.attachments.some((a) => lower(a.contentType) === 'message/delivery-status');
    if (!isReport) return null;
    const texts = [m.text ?? '', ...m.attachments.map((a) => a.content.toString('utf8'))].join(
      '\n',
    );
    const ids = texts.match(/<sb\.[^<>\s]+@[^<>\s]+>/g) ?? [];
    for (const messageId of ids) {
      const h = jobHash(messageId);
      const done = await store.get<DoneRecord>(services, `done:${h}`);
      if (!done) continue;
      const reason = (
        /Diagnostic-Code:\s*(.+)/i.exec(texts)?.[1] ??
        /Status:\s*(.+)/i.exec(texts)?.[1] ??
        'bounced'
      )
        .trim()
        .slice(0, 300);
      await store.put(store.db('activity'), {
        _id: `${done.ticketNumber}:delivery:${h}:bounced`,
        ticketNumber: done.ticketNumber,
        type: 'delivery',
        at: new Date().toISOString(),
        by: config.user,
        schemaVersion: 1,
        body: `Mail could not be delivered (bounce): ${reason}`,
        data: { state: 'failed', reason, messageId, bounced: true },
      });
      if (done.state !== 'bounced')
        await store.put(services, { ...done, state: 'bounced', response: reason });
      return { kind: 'bounce', messageId };
    }
    return null;
  };

  /** Handles one parsed message; throws (→ 451) only when CouchDB could not take it. */
  const ingest = async (raw: Buffer, envelopeFrom: string): Promise<Outcome> => {
    const rawHash = createHash('sha256').update(raw).digest('hex');
    let m: ParsedMail;
    try {
      m = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
    } catch (err) {
      return refuse(
        `raw:${rawHash}`,
        `unreadable message: ${String(err).slice(0, 200)}`,
        envelopeFrom,
      );
    }
    // A reused Message-ID with other content is another mail.
    const key = m.messageId
      ? `mid:${m.messageId}:${stableHash(`${m.subject ?? ''}\n${m.text ?? ''}\n${m.html || ''}`)}`
      : `raw:${rawHash}`;
    const h = stableHash(key);
    const from =
      firstAddress(m.from) ?? (envelopeFrom ? { address: lower(envelopeFrom), name: '' } : null);
    const b = await bounce(m);
    if (b) return b;
    if (!from) return refuse(key, 'no sender address', envelopeFrom);
    const loop = loopReason(
      {
        from: from.address,
        autoSubmitted: header(m, 'auto-submitted'),
        precedence: header(m, 'precedence'),
        listId: header(m, 'list-id'),
      },
      own,
    );
    if (loop) return refuse(key, loop, from.address);
    const subject = (m.subject ?? '').replace(/[\r\n\t]+/g, ' ').trim();
    const refs = [
      ...(m.inReplyTo ? [m.inReplyTo] : []),
      ...(Array.isArray(m.references) ? m.references : m.references ? [m.references] : []),
    ];
    const requesterId = await requesterFor(from.address, from.name);
    const number = ticketNumberOf(subject, refs);
    const ticketsDb = store.db('tickets');
    const existing = number ? await store.get<Doc & Ticket>(ticketsDb, number) : null;
    if (existing && number) {
      const body = bodyOf(m) || '(empty message)';
      const notKept = await saveAttachments(m, number, h);
      await store.put(store.db('activity'), {
        _id: `${number}:mail-${h}`,
        ticketNumber: number,
        type: 'reply',
        at: new Date().toISOString(),
        by: requesterId,
        schemaVersion: 1,
        body: notKept.length ? `${body}\n\n(Not kept: ${notKept.join(', ')})` : body,
        data: { channel: 'email', messageId: m.messageId ?? null, from: from.address },
      });
      const reopened = await reopenIfRecent(existing);
      return { kind: 'reply', number, reopened };
    }
    // A number no ticket has and this process has not just given out: numbers made in the
    // same second differ by 15 random bits only, and mail can bring many in one second.
    const freeNumber = async (): Promise<string> => {
      for (let attempt = 0; ; attempt++) {
        // Each retry moves away from the last draw, so even a poor random source finds a free one.
        const candidate = newTicketNumber('incident', {
          now: Date.now(),
          deviceId: config.instanceId,
          random: () => (Math.random() + attempt / 21) % 1,
        });
        if (issuedNumbers.has(candidate) && attempt < 20) continue;
        // Reserved before the look-up: mails handled at the same time never take the same one.
        if (issuedNumbers.size > 10_000) issuedNumbers.clear();
        issuedNumbers.add(candidate);
        if (!(await store.get<Doc>(ticketsDb, candidate)) || attempt >= 20) return candidate;
      }
    };
    // A new incident: the inbound record fixes its number, so a retried message finds it.
    const inId = `in:${h}`;
    let rec = await store.get<Doc & { number: string }>(services, inId);
    if (!rec) {
      const fresh = {
        _id: inId,
        number: await freeNumber(),
        messageId: m.messageId ?? null,
        from: from.address,
        at: new Date().toISOString(),
      };
      await store.put(services, fresh);
      rec = (await store.get<Doc & { number: string }>(services, inId)) ?? fresh;
    }
    const newNumber = rec.number;
    if (m.messageId)
      await store.put(services, { _id: `thread:${newNumber}`, messageId: m.messageId });
    const notKept = await saveAttachments(m, newNumber, h);
    faultMidReceive();
    const now = new Date().toISOString();
    const description = bodyOf(m);
    const created = createTicket(
      {
        kind: 'incident',
        title: (subject || `Mail from ${from.address}`).slice(0, 200),
        description: (notKept.length
          ? `${description}\n\n(Not kept: ${notKept.join(', ')})`
          : description
        ).slice(0, 20_000),
        requesterId,
        ciId: null,
        category: 'general',
        impact: 3,
        urgency: 3,
        groupId: 'group:service-desk',
        assigneeId: null,
      },
      { now, actor: config.user, number: newNumber },
    );
    if (!created.ok)
      return refuse(key, `not a valid ticket: ${created.errors.join('; ')}`, from.address);
    const { number: n, ...rest } = created.value;
    await store.put(ticketsDb, { _id: n, ...rest }); // 409: made by a previous attempt.
    return { kind: 'ticket', number: n };
  };

  const reopenIfRecent = async (t: Doc & Ticket): Promise<boolean> => {
    if (t.state !== 'resolved' || !t.sla.resolvedAt) return false;
    if (Date.now() - Date.parse(t.sla.resolvedAt) > REOPEN_WINDOW_DAYS * 86_400_000) return false;
    const { _id, _rev, ...fields } = t;
    const r = transition(
      { ...fields, number: _id },
      'in-progress',
      {},
      {
        now: new Date().toISOString(),
        actor: config.user,
      },
    );
    if (!r.ok) return false;
    const { number: n, ...rest } = r.ticket;
    return (await store.put(store.db('tickets'), { _id: n, _rev, ...rest })) !== null;
  };

  const rateLimited = (sender: string): boolean => {
    const now = Date.now();
    const times = (recent.get(sender) ?? []).filter((t) => now - t < config.rateWindowMs);
    times.push(now);
    recent.set(sender, times);
    return times.length > config.ratePerSender;
  };

  const server = new SMTPServer({
    name: config.mailDomain,
    banner: 'Switchboard desk services',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: config.maxMessageBytes,
    logger: false,
    onMailFrom(address, _session, callback) {
      const sender = lower(address.address);
      if (sender && rateLimited(sender)) {
        log.info(`rate limit: ${sender}`);
        callback(new SmtpAnswer(450, `Too many messages from ${sender}; try again later.`));
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const mb = Math.floor(config.maxMessageBytes / 1024 / 1024);
          log.info(
            `refused an oversized message from ${session.envelope.mailFrom ? session.envelope.mailFrom.address : 'unknown'}`,
          );
          callback(
            new SmtpAnswer(
              552,
              `Message too large: the desk accepts at most ${mb} MB. Please send large files as a link.`,
            ),
          );
          return;
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        status.doing = `receiving from ${from}`;
        status.backlog += 1;
        ingest(Buffer.concat(chunks), from).then(
          (outcome) => {
            status.backlog -= 1;
            status.done += 1;
            status.doing = 'listening';
            log.info(`mail from ${from}: ${JSON.stringify(outcome)}`);
            callback(null, outcome.kind === 'refused' ? `Not taken: ${outcome.reason}` : 'Queued');
          },
          (err: unknown) => {
            status.backlog -= 1;
            status.doing = 'listening';
            noteError(status, `mail from ${from}`, err);
            callback(
              new SmtpAnswer(451, 'The desk cannot store this message right now; try again later.'),
            );
          },
        );
      });
    },
  });
  server.on('error', (err) => noteError(status, 'smtp listener', err));
  await new Promise<void>((ok, fail) => {
    server.server.once('error', fail);
    server.listen(config.inboundPort, config.inboundHost, () => ok());
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.inboundPort;
  return {
    status,
    port,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** Test fault: `SWITCHBOARD_SERVICES_FAULT=exit-mid-receive` dies after the inbound record, before the ticket. */
function faultMidReceive(): void {
  if (process.env.SWITCHBOARD_SERVICES_FAULT === 'exit-mid-receive') {
    log.warn('fault injected: exiting in the middle of receiving a mail');
    process.kill(process.pid, 'SIGKILL');
  }
}

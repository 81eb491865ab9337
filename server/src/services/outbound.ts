/**
 * Outbound mail: public replies, acknowledgements of new incidents and resolutions go to the
 * requester. Two workers:
 * - the queuer follows `activity` and `tickets` changes and creates one job document
 *   (`out:<h>`, h derived from the Message-ID) per mail, plus a "queued" delivery record;
 * - the sender claims due jobs with a lease (a 409 means another instance has it), sends with
 *   nodemailer, records "sent" (with the server's answer) or the failure (retried with backoff,
 *   permanent after a 5xx or too many attempts), then writes `done:<h>` and deletes the job.
 * The Message-ID derives from what the mail is about, so the resend that follows a crash between
 * the SMTP answer and the record is the same message, which mailboxes (the demo one included)
 * keep once; `done:<h>` stops any later resend.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import MarkdownIt from 'markdown-it';
import {
  REOPEN_WINDOW_DAYS,
  deskMessageId,
  stableHash,
  threadRootId,
  type MailKind,
  type MailTemplate,
  type TemplateValues,
} from '../../../shared/services/mail-format';
import {
  effectiveTemplate,
  renderMail,
  templateErrors,
} from '../../../shared/services/mail-templates';
import type { ServicesConfig } from './config';
import type { Doc, Store } from './store';
import { followChanges, newStatus, noteError, sleep, type WorkerStatus } from './worker';
import { createLogger } from '../log';
import { queueHorizonMs } from './retention';

const log = createLogger('mail-out');
const md = new MarkdownIt({ html: false, linkify: false });

/** A mail waiting to go (services database, `out:<h>`). */
export type OutJob = Doc & {
  kind: MailKind;
  key: string;
  ticketNumber: string;
  to: string;
  messageId: string;
  /** The reply's text (reply) or resolution notes (resolved). */
  body: string;
  state: 'queued' | 'sending';
  attempts: number;
  nextAt: string;
  lease: { owner: string; until: string } | null;
  lastError: string | null;
};

/** A finished mail (`done:<h>`): sent, failed for good, or bounced later. */
export type DoneRecord = Doc & {
  state: 'sent' | 'failed' | 'bounced';
  ticketNumber: string;
  messageId: string;
  response: string;
  /** The version of the template it was sent with (0: the default). */
  templateVersion?: number;
  at: string;
};

type TicketDoc = Doc & {
  kind: string;
  title: string;
  state: string;
  requesterId: string;
  createdAt: string;
  resolution: { code: string; notes: string } | null;
  sla: { resolvedAt: string | null };
};
type PersonDoc = Doc & { name?: string; email?: string };

export type Outbound = {
  readonly queuer: WorkerStatus;
  readonly sender: WorkerStatus;
  readonly done: Promise<unknown>;
};

/** Hash of a Message-ID: the job's and the record's id. */
export const jobHash = (messageId: string): string => stableHash(messageId);

/** A transport for the configured relay, or the demo mailbox in the services database. */
export function makeTransport(config: ServicesConfig): Transporter {
  if (config.smtpUrl) {
    const u = new URL(config.smtpUrl);
    const local = u.hostname === '127.0.0.1' || u.hostname === 'localhost';
    return nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
      secure: u.protocol === 'smtps:',
      ...(u.username
        ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
        : {}),
      connectionTimeout: config.smtpTimeoutMs,
      greetingTimeout: config.smtpTimeoutMs,
      socketTimeout: config.smtpTimeoutMs,
      // A relay on the same host (tests, a local MTA) speaks plain SMTP.
      ignoreTLS: local,
    });
  }
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
}

/** Starts the outbound workers; they stop when `signal` aborts. */
export function startOutbound(
  store: Store,
  config: ServicesConfig,
  transport: Transporter,
  signal: AbortSignal,
): Outbound {
  const queuer = newStatus();
  const sender = newStatus();
  const services = store.db('services');
  const activityDb = store.db('activity');
  const ticketsDb = store.db('tickets');

  const activityEntry = (
    job: Pick<OutJob, 'ticketNumber' | 'messageId' | 'to' | 'kind'>,
    step: string,
    body: string,
    data: Record<string, unknown>,
  ): Doc => ({
    _id: `${job.ticketNumber}:delivery:${jobHash(job.messageId)}:${step}`,
    ticketNumber: job.ticketNumber,
    type: 'delivery',
    at: new Date().toISOString(),
    by: config.user,
    schemaVersion: 1,
    body,
    data: { kind: job.kind, to: job.to, messageId: job.messageId, ...data },
  });

  const queue = async (
    kind: MailKind,
    key: string,
    ticket: TicketDoc,
    body: string,
    /** When what the mail is about happened (the reply, the creation, the resolution). */
    subjectAt: unknown,
  ): Promise<void> => {
    // Past the horizon its done record may be purged (retention.ts): never mailed that late.
    const at = typeof subjectAt === 'string' ? Date.parse(subjectAt) : NaN;
    if (!Number.isFinite(at) || at < Date.now() - queueHorizonMs(config.retentionMs)) {
      log.info(`not mailing the ${kind} of ${ticket._id}: from ${String(subjectAt)}, too old`);
      return;
    }
    const person = await store.get<PersonDoc>(store.db('directory'), ticket.requesterId);
    const to = person?.email;
    if (!to) return; // Nobody to mail: the ticket shows no delivery record.
    const messageId = deskMessageId(ticket._id, key, config.mailDomain);
    const h = jobHash(messageId);
    if (await store.get(services, `done:${h}`)) return;
    const job: OutJob = {
      _id: `out:${h}`,
      kind,
      key,
      ticketNumber: ticket._id,
      to,
      messageId,
      body,
      state: 'queued',
      attempts: 0,
      nextAt: new Date().toISOString(),
      lease: null,
      lastError: null,
    };
    if ((await store.put(services, job)) === null) return; // Already queued.
    const what = kind === 'ack' ? 'acknowledgement' : kind === 'resolved' ? 'resolution' : 'reply';
    await store.put(
      activityDb,
      activityEntry(job, 'queued', `Mail (${what}) to ${to} queued.`, { state: 'queued' }),
    );
    queuer.done += 1;
  };

  const fromActivity = async (doc: Doc): Promise<void> => {
    if (doc.type !== 'reply') return;
    const data = (doc.data ?? {}) as { channel?: unknown };
    if (data.channel === 'email') return; // The requester's own mail: nothing to send back.
    const ticket = await store.get<TicketDoc>(ticketsDb, String(doc.ticketNumber));
    if (!ticket) return;
    const body = typeof doc.body === 'string' ? doc.body : '';
    await queue('reply', `reply:${doc._id}`, ticket, body, doc.at);
  };

  const fromTicket = async (doc: Doc, startedAt: string): Promise<void> => {
    const t = doc as TicketDoc;
    if (t.kind !== 'incident' && t.kind !== 'request') return;
    if (typeof t.createdAt === 'string' && t.createdAt >= startedAt)
      await queue('ack', 'ack', t, '', t.createdAt);
    // Only resolutions made since desk services started: an edit of an old resolved ticket is not news.
    if (t.state === 'resolved' && t.sla?.resolvedAt && t.sla.resolvedAt >= startedAt)
      await queue(
        'resolved',
        `resolved:${t.sla.resolvedAt}`,
        t,
        t.resolution?.notes ?? '',
        t.sla.resolvedAt,
      );
  };

  /** The saved template (Templates page), read at each send: an edit applies to the next mail. */
  const templateFor = async (kind: MailKind): Promise<MailTemplate & { version: number }> => {
    const doc = await store.get<Doc & Partial<MailTemplate>>(services, `template:${kind}`);
    if (doc && Object.keys(templateErrors(doc)).length > 0)
      log.warn(`template:${kind} does not pass the template checks; the default is used`);
    return effectiveTemplate(kind, doc);
  };

  const threadOf = async (number: string): Promise<string[]> => {
    const root = threadRootId(number, config.mailDomain);
    const inbound = await store.get<Doc & { messageId?: string }>(services, `thread:${number}`);
    return inbound?.messageId ? [inbound.messageId, root] : [root];
  };

  const send = async (job: OutJob): Promise<void> => {
    const leaseUntil = new Date(Date.now() + config.leaseMs).toISOString();
    const claimed: OutJob = {
      ...job,
      state: 'sending',
      lease: { owner: config.instanceId, until: leaseUntil },
    };
    const rev = await store.put(services, claimed);
    if (rev === null) return; // Another instance claimed it first.
    claimed._rev = rev;
    const h = jobHash(job.messageId);
    if (await store.get(services, `done:${h}`)) {
      await store.couch.tryRequest(
        'DELETE',
        `/${services}/${encodeURIComponent(job._id)}?rev=${rev}`,
      );
      return;
    }
    sender.doing = `sending ${job.kind} of ${job.ticketNumber} to ${job.to}`;
    const ticket = await store.get<TicketDoc>(ticketsDb, job.ticketNumber);
    const person = ticket
      ? await store.get<PersonDoc>(store.db('directory'), ticket.requesterId)
      : null;
    const values: TemplateValues = {
      number: job.ticketNumber,
      title: ticket?.title ?? job.ticketNumber,
      body: job.body,
      requesterName: person?.name ?? job.to,
      reopenDays: String(REOPEN_WINDOW_DAYS),
    };
    const template = await templateFor(job.kind);
    const thread = await threadOf(job.ticketNumber);
    const isRoot = job.kind === 'ack' && thread.length === 1;
    const mail = renderMail(template, values, (s) => md.render(s));
    let response: string;
    try {
      const info = (await transport.sendMail({
        from: config.from,
        to: job.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: isRoot ? threadRootId(job.ticketNumber, config.mailDomain) : job.messageId,
        ...(isRoot ? {} : { inReplyTo: thread[0], references: thread }),
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Switchboard-Ticket': job.ticketNumber },
      })) as { response?: string; message?: Buffer; messageId?: string };
      response = info.message
        ? await keepInDemoMailbox(store, job, info.message)
        : String(info.response ?? '250 OK');
    } catch (err) {
      await failed(claimed, err);
      return;
    }
    faultAfterSmtp();
    await store.put(
      activityDb,
      activityEntry(job, 'sent', `Mail to ${job.to} sent: ${response}`, {
        state: 'sent',
        response,
      }),
    );
    const done: DoneRecord = {
      _id: `done:${h}`,
      state: 'sent',
      ticketNumber: job.ticketNumber,
      messageId: job.messageId,
      response,
      templateVersion: template.version,
      at: new Date().toISOString(),
    };
    await store.put(services, done);
    await store.couch.tryRequest(
      'DELETE',
      `/${services}/${encodeURIComponent(job._id)}?rev=${rev}`,
    );
    sender.done += 1;
    log.info(`sent ${job.kind} of ${job.ticketNumber} to ${job.to}: ${response}`);
  };

  const failed = async (job: OutJob, err: unknown): Promise<void> => {
    const e = err as { responseCode?: number; message?: string };
    const reason = String(e.message ?? err).slice(0, 500);
    const attempts = job.attempts + 1;
    const permanent =
      (typeof e.responseCode === 'number' && e.responseCode >= 500) ||
      attempts >= config.maxAttempts;
    noteError(sender, `mail ${job.messageId} attempt ${attempts}`, err);
    const h = jobHash(job.messageId);
    if (permanent) {
      await store.put(
        activityDb,
        activityEntry(job, 'failed', `Mail to ${job.to} could not be delivered: ${reason}`, {
          state: 'failed',
          reason,
          attempts,
        }),
      );
      await store.put(services, {
        _id: `done:${h}`,
        state: 'failed',
        ticketNumber: job.ticketNumber,
        messageId: job.messageId,
        response: reason,
        at: new Date().toISOString(),
      });
      await store.couch.tryRequest(
        'DELETE',
        `/${services}/${encodeURIComponent(job._id)}?rev=${job._rev}`,
      );
      return;
    }
    const nextAt = new Date(Date.now() + config.retryBaseMs * 2 ** (attempts - 1)).toISOString();
    await store.put(
      activityDb,
      activityEntry(
        job,
        `attempt-${attempts}`,
        `Mail to ${job.to} not sent yet (${reason}); retrying at ${nextAt}.`,
        {
          state: 'retrying',
          reason,
          attempts,
          nextAt,
        },
      ),
    );
    await store.put(services, {
      ...job,
      state: 'queued',
      attempts,
      nextAt,
      lease: null,
      lastError: reason,
    });
  };

  const senderLoop = async (): Promise<void> => {
    while (!signal.aborted) {
      try {
        const jobs = await store.byPrefix<OutJob>(services, 'out:');
        const now = new Date().toISOString();
        const due = jobs.filter(
          (j) =>
            (j.state === 'queued' && j.nextAt <= now) ||
            (j.state === 'sending' && (j.lease?.until ?? '') <= now),
        );
        sender.backlog = jobs.length;
        sender.doing = due.length ? `sending ${due.length} mail(s)` : 'idle';
        for (const j of due) {
          if (signal.aborted) return;
          await send(j).catch((err: unknown) => noteError(sender, `sending ${j._id}`, err));
        }
      } catch (err) {
        noteError(sender, 'reading the outbox', err);
      }
      await sleep(500, signal);
    }
  };

  const done = Promise.all([
    followChanges(store, activityDb, 'mail-out-activity', queuer, signal, fromActivity),
    followChanges(store, ticketsDb, 'mail-out-tickets', queuer, signal, fromTicket),
    senderLoop(),
  ]);
  return { queuer, sender, done };
}

/** The demo mailbox: one document per Message-ID, so a resent message is kept once. */
async function keepInDemoMailbox(store: Store, job: OutJob, raw: Buffer): Promise<string> {
  const rev = await store.put(store.db('services'), {
    _id: `mailbox:${jobHash(job.messageId)}`,
    messageId: job.messageId,
    to: job.to,
    ticketNumber: job.ticketNumber,
    kind: job.kind,
    at: new Date().toISOString(),
    raw: raw.toString('utf8'),
  });
  return rev === null
    ? '250 already in the demo mailbox (same Message-ID)'
    : '250 kept in the demo mailbox';
}

/** Test fault: `SWITCHBOARD_SERVICES_FAULT=exit-after-smtp` dies between SMTP's answer and the record. */
function faultAfterSmtp(): void {
  if (process.env.SWITCHBOARD_SERVICES_FAULT === 'exit-after-smtp') {
    log.warn('fault injected: exiting between the SMTP answer and the delivery record');
    process.kill(process.pid, 'SIGKILL');
  }
}

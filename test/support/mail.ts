/**
 * Mail test helpers: a real SMTP server (smtp-server) that keeps what it receives and can refuse
 * or stall on demand, desk services pointed at a test desk, and a sender speaking SMTP to the
 * desk's inbound listener.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { AddressInfo } from 'node:net';
import { loadServicesConfig, type ServicesConfig } from '../../server/src/services/config';
import { PREFIX, type TestDesk } from './desk-server';

export type Received = { readonly raw: string; readonly mail: ParsedMail; readonly to: string[] };

export type TestSmtp = {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  /** How the next messages are answered: accepted, refused (5xx), temporarily refused, stalled. */
  mode: 'accept' | 'refuse' | 'defer' | 'stall';
  /** Called when a message's data is complete, before it is answered. */
  onMessage?: (r: Received) => void;
  readonly close: () => Promise<void>;
};

/** Starts a test SMTP server on a free port of 127.0.0.1. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const state: { mode: TestSmtp['mode']; onMessage?: (r: Received) => void } = { mode: 'accept' };
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mode = state.mode;
        if (mode === 'stall') return; // Never answers: the client's timeout must fire.
        if (mode === 'refuse') {
          const e = new Error('mailbox unavailable') as Error & { responseCode: number };
          e.responseCode = 550;
          callback(e);
          return;
        }
        if (mode === 'defer') {
          const e = new Error('try again later') as Error & { responseCode: number };
          e.responseCode = 451;
          callback(e);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((mail) => {
          const r = { raw, mail, to: session.envelope.rcptTo.map((a) => a.address) };
          received.push(r);
          state.onMessage?.(r);
          callback(null, 'OK: queued as test');
        });
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.server.address() as AddressInfo).port;
  const smtp: TestSmtp = {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    get onMessage() {
      return state.onMessage;
    },
    set onMessage(f) {
      state.onMessage = f;
    },
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
      }),
  };
  return smtp;
}

/** Desk services' configuration for `desk`, sending through `smtpUrl` (undefined: demo mailbox). */
export function servicesConfigFor(
  desk: TestDesk,
  smtpUrl: string | undefined,
  extra: Partial<ServicesConfig> = {},
): ServicesConfig {
  return {
    ...loadServicesConfig({}),
    couchUrl: desk.url,
    dbPrefix: PREFIX,
    instanceId: 'test-a',
    smtpUrl,
    from: 'servicedesk@desk.test',
    mailDomain: 'desk.test',
    inboundPort: 0,
    statusPort: 0,
    leaseMs: 5_000,
    smtpTimeoutMs: 5_000,
    retryBaseMs: 200,
    maxAttempts: 4,
    ...extra,
  };
}

/** Sends `mail` by SMTP to the desk's inbound listener on `port`. */
export async function mailTo(port: number, mail: Mail.Options): Promise<string> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const info = (await t.sendMail({ to: 'servicedesk@desk.test', ...mail })) as {
      response: string;
    };
    return info.response;
  } finally {
    t.close();
  }
}

/** Sends a raw RFC 5322 message by SMTP (for hand-made, malformed or hostile messages). */
export async function rawMailTo(port: number, from: string, raw: string | Buffer): Promise<string> {
  return mailTo(port, { envelope: { from, to: ['servicedesk@desk.test'] }, raw });
}

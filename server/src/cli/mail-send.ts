/**
 * `npm run mail:send -- --from rita@example.com --subject "Printer jam" --text "..." [--attach f]
 * [--in-reply-to "<id>"] [--port 2525]`: sends one mail into the desk's inbound SMTP listener, so
 * a newcomer can watch it become a ticket in the open console.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { createLogger } from '../log';

const log = createLogger('mail:send');
const { values } = parseArgs({
  options: {
    from: { type: 'string', default: 'noah.smith0@example.com' },
    to: {
      type: 'string',
      default: process.env.SWITCHBOARD_MAIL_FROM ?? 'servicedesk@switchboard.example',
    },
    subject: { type: 'string', default: 'My laptop does not start' },
    text: { type: 'string', default: 'Hello, my laptop shows a black screen since this morning.' },
    html: { type: 'string' },
    attach: { type: 'string', multiple: true, default: [] },
    'in-reply-to': { type: 'string' },
    host: { type: 'string', default: process.env.SWITCHBOARD_INBOUND_SMTP_HOST ?? '127.0.0.1' },
    port: { type: 'string', default: process.env.SWITCHBOARD_INBOUND_SMTP_PORT ?? '2525' },
  },
});
const transport = nodemailer.createTransport({
  host: values.host,
  port: Number(values.port),
  secure: false,
  ignoreTLS: true,
});
try {
  const info = (await transport.sendMail({
    from: values.from,
    to: values.to,
    subject: values.subject,
    text: values.text,
    ...(values.html ? { html: values.html } : {}),
    ...(values['in-reply-to'] ? { inReplyTo: values['in-reply-to'] } : {}),
    attachments: values.attach.map((p) => ({ filename: basename(p), content: readFileSync(p) })),
  })) as { response: string; messageId: string };
  log.info(`sent ${info.messageId}: the desk answered "${info.response}"`);
} catch (err) {
  log.error(
    `the desk refused or is not listening on ${values.host}:${values.port}: ${String(err)}`,
  );
  process.exitCode = 1;
} finally {
  transport.close();
}

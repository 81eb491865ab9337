/**
 * A corpus of broken, huge, deeply nested, oddly encoded and hostile messages sent over SMTP to
 * the inbound listener: each becomes a ticket or a recorded refusal (none lost), and the listener
 * still answers a normal mail afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { rawMailTo, servicesConfigFor } from '../../support/mail';
import { startDeskServices, type DeskServices } from '../../../server/src/services';
import { XSS_CORPUS } from '../../support/xss-corpus';
import { dangerIn } from '../../support/inert-markdown';

type Row = { id: string; doc: Record<string, unknown> & { _id: string } };

const CRLF = '\r\n';
const head = (i: number, extra = '') =>
  `From: Corpus ${i} <corpus${i}@outside.example>${CRLF}To: servicedesk@desk.test${CRLF}${extra}`;

function nested(depth: number): string {
  let body = `Content-Type: text/plain${CRLF}${CRLF}innermost${CRLF}`;
  for (let d = 0; d < depth; d++) {
    const b = `b${d}`;
    body = `Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}${body}--${b}--${CRLF}`;
  }
  return body;
}

/** [name, raw message]; the sender is corpus<i>@outside.example. */
const CORPUS: [string, (i: number) => string][] = [
  ['garbage', () => '\u0000\u0001\u0002 not a mail at all \u00ff\u00fe'],
  ['no blank line', (i) => `${head(i)}Subject: no body separator`],
  ['no From header', () => `Subject: anonymous${CRLF}${CRLF}who am I${CRLF}`],
  ['huge subject', (i) => `${head(i)}Subject: ${'S'.repeat(100_000)}${CRLF}${CRLF}x${CRLF}`],
  [
    'deeply nested multipart',
    (i) => `${head(i)}Subject: nested${CRLF}MIME-Version: 1.0${CRLF}${nested(120)}`,
  ],
  [
    'encoded-word subject, latin-1 body',
    (i) =>
      `${head(i)}Subject: =?ISO-8859-1?Q?Caf=E9_cr=E8me?=${CRLF}Content-Type: text/plain; charset=iso-8859-1${CRLF}` +
      `Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}Tr=E8s chaud =${CRLF}=3D broken=ZZ${CRLF}`,
  ],
  [
    'unknown charset, broken base64',
    (i) =>
      `${head(i)}Subject: charset${CRLF}Content-Type: text/plain; charset=x-unknown-42${CRLF}` +
      `Content-Transfer-Encoding: base64${CRLF}${CRLF}SGVsbG8gd29y!!!bGQ=====${CRLF}`,
  ],
  [
    'koi8-r body',
    (i) =>
      `${head(i)}Subject: =?KOI8-R?B?8NLJ18XU?=${CRLF}Content-Type: text/plain; charset=koi8-r${CRLF}` +
      `Content-Transfer-Encoding: base64${CRLF}${CRLF}8NLJ18XUIMnaIM3P08vX2Q==${CRLF}`,
  ],
  [
    'hostile HTML',
    (i) =>
      `${head(i)}Subject: hostile${CRLF}Content-Type: text/html${CRLF}${CRLF}<p>hi</p>${XSS_CORPUS.join('')}${CRLF}`,
  ],
  [
    'hostile attachment names and fake types',
    (i) =>
      `${head(i)}Subject: attachments${CRLF}MIME-Version: 1.0${CRLF}Content-Type: multipart/mixed; boundary=x${CRLF}${CRLF}` +
      `--x${CRLF}Content-Type: text/plain${CRLF}${CRLF}see attached${CRLF}` +
      `--x${CRLF}Content-Type: image/png; name="../../etc/passwd"${CRLF}Content-Disposition: attachment; filename="../../etc/passwd"${CRLF}` +
      `Content-Transfer-Encoding: base64${CRLF}${CRLF}bm90IGEgcG5n${CRLF}` +
      `--x${CRLF}Content-Type: application/x-msdownload; name="invoice.exe"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}TVqQAAMAAAAEAAAA${CRLF}` +
      `--x--${CRLF}`,
  ],
  [
    'NUL and controls in headers',
    (i) => `${head(i)}Subject: a\u0000b\u0007c\u001b[31m${CRLF}${CRLF}body${CRLF}`,
  ],
  [
    '8-bit header without encoding',
    (i) => `${head(i)}Subject: Grüße aus Köln ☃${CRLF}${CRLF}Grüße${CRLF}`,
  ],
  ['empty everything', (i) => `${head(i)}${CRLF}`],
  [
    '2 MB body',
    (i) => `${head(i)}Subject: big${CRLF}${CRLF}${('y'.repeat(998) + CRLF).repeat(2000)}`,
  ],
  [
    'unterminated multipart',
    (i) =>
      `${head(i)}Subject: unterminated${CRLF}Content-Type: multipart/alternative; boundary=zz${CRLF}${CRLF}--zz${CRLF}Content-Type: text/html${CRLF}${CRLF}<b>never ends`,
  ],
  [
    'reply to a ticket that does not exist',
    (i) =>
      `${head(i)}Subject: Re: [INC-0000000000ZZ] gone${CRLF}In-Reply-To: <sb.INC-0000000000ZZ.x@desk.test>${CRLF}${CRLF}hello${CRLF}`,
  ],
  [
    'bounce from a mailer daemon',
    () =>
      `From: MAILER-DAEMON@outside.example${CRLF}Subject: Undeliverable${CRLF}${CRLF}failed${CRLF}`,
  ],
];

describe('inbound mail corpus: malformed, huge, nested, oddly encoded, hostile', () => {
  let desk: TestDesk;
  let services: DeskServices;
  beforeAll(async () => {
    desk = await startTestDesk({ tickets: 3 });
    services = await startDeskServices(servicesConfigFor(desk, undefined));
  });
  afterAll(async () => {
    await services?.stop();
    await desk?.stop();
  });

  const all = async (db: string, prefix: string) =>
    (
      await desk.admin.request<{ rows: Row[] }>(
        'GET',
        `/${PREFIX}${db}/_all_docs?include_docs=true&startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(prefix + '\ufff0'))}`,
      )
    ).rows.map((r) => r.doc);

  it('makes each a ticket or a recorded refusal, and keeps answering', async () => {
    const answers: [string, string][] = [];
    for (const [i, [name, make]] of CORPUS.entries()) {
      const answer = await rawMailTo(
        services.inboundPort!,
        `corpus${i}@outside.example`,
        make(i),
      ).catch((err: unknown) => `error ${String(err)}`);
      answers.push([name, answer]);
    }
    for (const [name, answer] of answers) expect(answer, name).toMatch(/^250 /);
    const tickets = await all('tickets', 'INC-');
    const people = new Map(
      (await all('directory', 'person:')).map((p) => [p._id, String(p.email)]),
    );
    const refused = await all('services', 'refused:');
    const ticketsFrom = (i: number) =>
      tickets.filter((t) => people.get(String(t.requesterId)) === `corpus${i}@outside.example`);
    for (const [i, [name]] of CORPUS.entries()) {
      const answer = answers[i]![1];
      if (answer.startsWith('250 Not taken')) {
        const reason = answer.slice('250 Not taken: '.length);
        expect(
          refused.some((r) => r.reason === reason),
          name,
        ).toBe(true);
      } else {
        // Taken: exactly one ticket, requested by the sender (the envelope's, if no From header).
        expect(answer, name).toMatch(/^250 Queued/);
        expect(ticketsFrom(i).length, name).toBe(1);
      }
    }
    for (const t of tickets) expect(dangerIn(String(t.description)), String(t.title)).toEqual([]);
    // The hostile attachment names are kept as names only, the fake PNG and the .exe not at all.
    const files = await all('attachments', 'INC-');
    expect(
      files.every((f) => f.type === 'application/pdf' || String(f.type).startsWith('image/')),
    ).toBe(true);
    expect(
      files
        .filter((f) => String(f.name).includes('passwd'))
        .every((f) => !String(f._id).includes('/')),
    ).toBe(true);
    // Still answering.
    const ok = await rawMailTo(
      services.inboundPort!,
      'after@outside.example',
      `From: after@outside.example${CRLF}Subject: still there?${CRLF}${CRLF}yes${CRLF}`,
    );
    expect(ok).toMatch(/^250 Queued/);
  });
});

/**
 * Desk services: the server-side workers of the desk (mail out, mail in), talking to CouchDB only
 * over HTTP as the service account, keeping every piece of state in the services database, and
 * reporting on a small HTTP endpoint (status, and the demo mailbox when no relay is configured).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServicesConfig } from './config';
import { openStore, type Doc } from './store';
import { makeTransport, startOutbound } from './outbound';
import { startInbound, type Inbound } from './inbound';
import { startStaffWorker } from './staff';
import { startRetention } from './retention';
import { escapeHtml } from '../../../shared/services/mail-format';
import { newStatus, sleep, type WorkerStatus } from './worker';
import { createLogger } from '../log';

const log = createLogger('services');

export type DeskServices = {
  readonly statusUrl: string;
  readonly inboundPort: number | undefined;
  readonly status: () => Record<string, WorkerStatus>;
  readonly stop: () => Promise<void>;
};

type StatusDoc = Doc & { instance: string; at: string; workers: Record<string, WorkerStatus> };

/** Starts every worker and the status endpoint. */
export async function startDeskServices(config: ServicesConfig): Promise<DeskServices> {
  const store = openStore(config.couchUrl, config.user, config.password, config.dbPrefix);
  const services = store.db('services');
  const abort = new AbortController();
  const transport = makeTransport(config);
  const outbound = startOutbound(store, config, transport, abort.signal);
  let inbound: Inbound | undefined;
  if (config.inboundPort >= 0) inbound = await startInbound(store, config);
  const staff = config.usersAdmin
    ? startStaffWorker(store, config.couchUrl, config.usersAdmin, config.user, abort.signal)
    : undefined;
  const retention = startRetention(store, config.retentionMs, config.purgeEveryMs, abort.signal);
  const statusWriter = newStatus();
  const workers = (): Record<string, WorkerStatus> => ({
    'mail-queue': outbound.queuer,
    'mail-send': outbound.sender,
    ...(inbound ? { 'mail-receive': inbound.status } : {}),
    ...(staff ? { staff: staff.status } : {}),
    retention: retention.status,
    status: statusWriter,
  });
  // Each instance publishes its workers' status in CouchDB, so any instance can show them all.
  const publish = (async () => {
    while (!abort.signal.aborted) {
      try {
        await store.upsert(services, {
          _id: `status:${config.instanceId}`,
          instance: config.instanceId,
          at: new Date().toISOString(),
          workers: workers(),
        });
        statusWriter.doing = 'publishing every 5 s';
      } catch (err) {
        statusWriter.lastError = { at: new Date().toISOString(), message: String(err) };
      }
      await sleep(5_000, abort.signal);
    }
  })();

  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://services.invalid');
    const json = (code: number, body: unknown): void => {
      res
        .writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(body));
    };
    const html = (body: string): void => {
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          'x-content-type-options': 'nosniff',
        })
        .end(`<!doctype html><meta charset="utf-8"><title>Demo mailbox</title>${body}`);
    };
    if (req.method !== 'GET') return json(405, { error: 'method_not_allowed' });
    void (async () => {
      if (url.pathname === '/status') {
        const all = await store.byPrefix<StatusDoc>(services, 'status:');
        const fresh = all.filter(
          (d) => Date.now() - Date.parse(d.at) < 30_000 && d.instance !== config.instanceId,
        );
        return json(200, {
          ok: true,
          instances: [
            { instance: config.instanceId, at: new Date().toISOString(), workers: workers() },
            ...fresh.map((d) => ({ instance: d.instance, at: d.at, workers: d.workers })),
          ],
          mail: config.smtpUrl ? 'smtp relay' : 'demo mailbox',
        });
      }
      if (url.pathname === '/mailbox' || url.pathname === '/mailbox.json') {
        const mails = (
          await store.byPrefix<
            Doc & {
              at: string;
              to: string;
              messageId: string;
              ticketNumber: string;
              kind: string;
              raw: string;
            }
          >(services, 'mailbox:')
        ).sort((a, b) => b.at.localeCompare(a.at));
        if (url.pathname === '/mailbox.json')
          return json(
            200,
            mails.map(({ raw: _raw, _rev, ...m }) => m),
          );
        const rows = mails
          .map((m) => {
            const subject = /^Subject: (.*)$/m.exec(m.raw)?.[1] ?? '';
            return `<tr><td>${escapeHtml(m.at)}</td><td>${escapeHtml(m.to)}</td><td>${escapeHtml(m.ticketNumber)}</td><td>${escapeHtml(subject)}</td><td><a href="mailbox/${encodeURIComponent(m._id.slice('mailbox:'.length))}">raw</a></td></tr>`;
          })
          .join('');
        return html(
          `<h1>Demo mailbox</h1><p>What the desk sent (no SMTP relay is configured: set SWITCHBOARD_SMTP_URL to send for real).</p><table><tr><th>When</th><th>To</th><th>Ticket</th><th>Subject</th><th></th></tr>${rows}</table>`,
        );
      }
      const raw = /^\/mailbox\/([0-9a-z]{1,40})$/.exec(url.pathname);
      if (raw) {
        const m = await store.get<Doc & { raw: string }>(services, `mailbox:${raw[1]}`);
        if (!m) return json(404, { error: 'not_found' });
        res
          .writeHead(200, {
            'content-type': 'text/plain; charset=utf-8',
            'x-content-type-options': 'nosniff',
          })
          .end(m.raw);
        return;
      }
      json(404, { error: 'not_found' });
    })().catch((err: unknown) => {
      log.warn('status endpoint error', err);
      if (!res.headersSent) json(502, { error: 'couch_unreachable', reason: String(err) });
    });
  });
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(config.statusPort, '127.0.0.1', () => ok());
  });
  const { port } = http.address() as AddressInfo;
  log.info(
    `desk services ${config.instanceId}: status on http://127.0.0.1:${port}/status, ` +
      (inbound ? `inbound SMTP on ${config.inboundHost}:${inbound.port}, ` : '') +
      (config.smtpUrl ? 'outbound through the SMTP relay' : 'outbound to the demo mailbox'),
  );
  return {
    statusUrl: `http://127.0.0.1:${port}/`,
    inboundPort: inbound?.port,
    status: workers,
    stop: async () => {
      abort.abort();
      await inbound?.close();
      await new Promise<void>((ok) => {
        http.close(() => ok());
        http.closeAllConnections();
      });
      await Promise.race([Promise.all([outbound.done, publish, staff?.done]), sleep(2_000)]);
      transport.close();
    },
  };
}

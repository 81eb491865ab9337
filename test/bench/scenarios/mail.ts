/**
 * mail: desk services measured end to end, with real SMTP both ways.
 * - in: mails sent over 4 SMTP connections at once to the inbound listener, timed until every
 *   one is a ticket on the server (mails/s);
 * - out: agents' public replies written at once, timed until the test SMTP server has them all
 *   (mails/s);
 * - arrival → console: mails sent at the real desk's peak-hour rate and at 10x it, each timed from
 *   the SMTP answer to its ticket's row showing in alice's open console (p50/p95).
 *   shared/REAL-DESK.md: 24,918 incidents a year, Mondays 23.9% of a week, 08–11 h 11% of a day
 *   an hour: about 12.6 new incidents in the peak hour. With every one arriving by mail that is
 *   one mail per 286 s; the bench compresses the hour (the same count of mails, spaced evenly
 *   over `window` seconds) since at these rates each mail meets an idle desk either way; the
 *   10x figure sends 126 mails over the same window.
 * Needs the built renderer (`npm run build:renderer`).
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser } from '../../support/browser';
import { asUser, startTestDesk, startTestWeb, PREFIX } from '../../support/desk-server';
import { signInAs, waitForSyncState } from '../../support/console-page';
import { rawMailTo, servicesConfigFor, startTestSmtp } from '../../support/mail';
import { startDeskServices } from '../../../server/src/services';
import type { BenchOptions, Figure, Scenario } from '../types';
import { percentile } from '../support/stats';

const PEAK_PER_HOUR = Math.round((24_918 / 52) * 0.239 * 0.11);

const raw = (tag: string) =>
  `From: bench-${tag}@outside.example\r\nTo: servicedesk@desk.test\r\nSubject: ${tag}\r\n` +
  `Message-ID: <${tag}@outside.example>\r\n\r\nBench mail ${tag}\r\n`;

async function run(o: BenchOptions): Promise<Figure[]> {
  if (!existsSync('dist/renderer/index.html'))
    throw new Error('mail needs the built renderer: run `npm run build:renderer` first');
  const inCount = o.quick ? 40 : 300;
  const windowS = o.quick ? 20 : 120;
  const desk = await startTestDesk({ tickets: o.quick ? 500 : 5000 });
  const web = await startTestWeb(desk);
  const smtp = await startTestSmtp();
  const services = await startDeskServices(servicesConfigFor(desk, smtp.url, { leaseMs: 60_000 }));
  const port = services.inboundPort!;
  const browser = await launchBrowser();
  const ticketCount = async () =>
    (await desk.admin.request<{ doc_count: number }>('GET', `/${PREFIX}tickets`)).doc_count;
  try {
    // In: throughput.
    const before = await ticketCount();
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < inCount) {
          const i = next++;
          await rawMailTo(port, `bench-in-${i}@outside.example`, raw(`bench-in-${i}`));
        }
      }),
    );
    while ((await ticketCount()) < before + inCount) await sleep(50);
    const inPerS = inCount / ((performance.now() - t0) / 1000);

    // Out: throughput (acknowledgements of the mails above go out first; wait them out).
    while (smtp.received.length < inCount) await sleep(100);
    const tickets = (
      await desk.admin.request<{ rows: { id: string }[] }>(
        'GET',
        `/${PREFIX}tickets/_all_docs?startkey="INC-"&endkey="INC-\ufff0"`,
      )
    ).rows.map((r) => r.id);
    const outCount = inCount;
    const sentBefore = smtp.received.length;
    const alice = asUser(desk, 'alice');
    const t1 = performance.now();
    const docs = Array.from({ length: outCount }, (_, i) => ({
      _id: `${tickets[i % tickets.length]!}:bench-reply-${i}`,
      ticketNumber: tickets[i % tickets.length]!,
      type: 'reply',
      at: new Date().toISOString(),
      by: 'alice',
      schemaVersion: 1,
      body: `Bench reply ${i}`,
      data: {},
    }));
    for (let k = 0; k < docs.length; k += 100)
      await alice.request('POST', `/${PREFIX}activity/_bulk_docs`, {
        docs: docs.slice(k, k + 100),
      });
    while (smtp.received.length < sentBefore + outCount) await sleep(50);
    const outPerS = outCount / ((performance.now() - t1) / 1000);

    // Arrival → console.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync', 10 * 60_000);
    await page.getByTestId('view-recent').click();
    await page.evaluate(`(() => {
      const seen = {};
      window.__seen = seen;
      new MutationObserver(() => {
        for (const row of document.querySelectorAll('[data-testid="queue-row"]')) {
          const m = /bench-lat-(\\d+-\\d+)/.exec(row.textContent || '');
          if (m && seen[m[1]] === undefined) seen[m[1]] = Date.now();
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    const latency = async (factor: number): Promise<number[]> => {
      const n = PEAK_PER_HOUR * factor;
      const sent = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const tag = `bench-lat-${factor}-${i}`;
        await rawMailTo(port, `${tag}@outside.example`, raw(tag));
        sent.set(`${factor}-${i}`, Date.now());
        await sleep((windowS * 1000) / n);
      }
      for (let waited = 0; waited < 30_000; waited += 500) {
        const seen = await page.evaluate<Record<string, number>>('window.__seen');
        if ([...sent.keys()].every((k) => seen[k] !== undefined)) break;
        await sleep(500);
      }
      const seen = await page.evaluate<Record<string, number>>('window.__seen');
      return [...sent].flatMap(([k, t]) => (seen[k] === undefined ? [] : [seen[k] - t]));
    };
    const peak = await latency(1);
    const tenX = await latency(10);
    await context.close();
    return [
      {
        name: `mails in per second (${inCount} over 4 SMTP connections)`,
        value: inPerS,
        unit: 'count',
      },
      { name: `mails out per second (${outCount} replies)`, value: outPerS, unit: 'count' },
      {
        name: `arrival → console p50, peak hour (${PEAK_PER_HOUR} mails in ${windowS} s)`,
        value: percentile(peak, 50),
        unit: 'ms',
      },
      {
        name: `arrival → console p95, peak hour (${peak.length}/${PEAK_PER_HOUR} seen)`,
        value: percentile(peak, 95),
        unit: 'ms',
      },
      {
        name: `arrival → console p50, 10x (${PEAK_PER_HOUR * 10} mails in ${windowS} s)`,
        value: percentile(tenX, 50),
        unit: 'ms',
      },
      {
        name: `arrival → console p95, 10x (${tenX.length}/${PEAK_PER_HOUR * 10} seen)`,
        value: percentile(tenX, 95),
        unit: 'ms',
      },
    ];
  } finally {
    await browser.close();
    await services.stop();
    await smtp.close();
    await web.close();
    await desk.stop();
  }
}

export const mail: Scenario = { name: 'mail', run };

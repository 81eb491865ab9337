/**
 * cold-sync: N tickets from the real embedded server into a fresh replica in Debian's Chromium,
 * through the product (sign in → every ticket counted in the queue), against the raw anchor in
 * the same browser: the same documents read as one `_changes?include_docs=true` request and
 * written with Dexie `bulkPut` into a plain IndexedDB store; and PouchDB's own replication
 * (`replicate.from`, the pouchdb browser bundle) of the same database. Needs the built renderer
 * (`npm run build:renderer`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launchBrowser } from '../../support/browser';
import { startTestDesk, startTestWeb, PREFIX } from '../../support/desk-server';
import type { BenchOptions, Figure, Scenario } from '../types';
import type { Dexie as DexieClass } from 'dexie';

const require = createRequire(import.meta.url);

async function run(o: BenchOptions): Promise<Figure[]> {
  if (!existsSync('dist/renderer/index.html'))
    throw new Error('cold-sync needs the built renderer: run `npm run build:renderer` first');
  const n = o.quick ? 2000 : o.tickets;
  const desk = await startTestDesk({ tickets: n });
  const web = await startTestWeb(desk);
  const browser = await launchBrowser();
  try {
    const total =
      (await desk.admin.request<{ doc_count: number }>('GET', `/${PREFIX}tickets`)).doc_count - 1;

    // The product: sign in, then wait until the queue counts every ticket.
    const product = await browser.newContext();
    const page = await product.newPage();
    await page.goto(web.url);
    await page.getByLabel('Name').fill('alice');
    await page.getByLabel('Password').fill('switchboard');
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByTestId('view-count-recent')
      .filter({ hasText: new RegExp(`^${total}$`) })
      .waitFor({ timeout: 30 * 60_000 });
    const productS = (Date.now() - t0) / 1000;
    await product.close();

    // The raw anchor, same browser, same origin and session mechanism.
    // The anchor injects Dexie into the page, which the console's CSP rightly forbids.
    const raw = await browser.newContext({ bypassCSP: true });
    const rp = await raw.newPage();
    await rp.goto(web.url);
    await rp.addScriptTag({ path: require.resolve('dexie/dist/dexie.min.js') });
    const rawS = await rp.evaluate(
      async ({ db }) => {
        await fetch('/couch/_session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'alice', password: 'switchboard' }),
        });
        const t = performance.now();
        const r = (await (
          await fetch(`/couch/${db}/_changes?include_docs=true&style=all_docs`)
        ).json()) as { results: { doc: Record<string, unknown> }[] };
        const D = (window as unknown as { Dexie: typeof DexieClass }).Dexie;
        const dexie = new D('raw-anchor');
        dexie.version(1).stores({ docs: '_id' });
        await dexie.table('docs').bulkPut(r.results.map((x) => x.doc));
        return (performance.now() - t) / 1000;
      },
      { db: `${PREFIX}tickets` },
    );

    // PouchDB's own replication of the same database into IndexedDB, same browser.
    await rp.addScriptTag({ path: require.resolve('pouchdb/dist/pouchdb.min.js') });
    const pouchS = await rp.evaluate(
      async ({ db }) => {
        const P = (
          window as unknown as {
            PouchDB: new (name: string) => {
              replicate: { from: (url: string, o: object) => Promise<unknown> };
            };
          }
        ).PouchDB;
        const local = new P('pouch-anchor');
        const t = performance.now();
        await local.replicate.from(`${location.origin}/couch/${db}`, { batch_size: 1000 });
        return (performance.now() - t) / 1000;
      },
      { db: `${PREFIX}tickets` },
    );
    await raw.close();
    return [
      {
        name: `product cold sync (${total} tickets, sign-in to all counted)`,
        value: productS,
        unit: 's',
        anchor: { name: 'raw _changes + Dexie bulkPut', value: rawS },
        target: 'within 1.3x of raw',
      },
      { name: 'product / raw', value: productS / rawS, unit: 'x', target: '<= 1.3' },
      {
        name: 'PouchDB replicate.from, same documents',
        value: pouchS,
        unit: 's',
        anchor: { name: 'product', value: productS },
      },
      { name: 'pouchdb / product', value: pouchS / productS, unit: 'x', target: '>= 3' },
    ];
  } finally {
    await browser.close();
    await web.close();
    await desk.stop();
  }
}

export const coldSync: Scenario = { name: 'cold-sync', run };

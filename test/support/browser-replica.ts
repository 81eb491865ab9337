/**
 * The replica of a console page, read straight from the page's IndexedDB (RxDB's Dexie storage),
 * so what is compared is what is on disk, not what the app shows. Used by the Chromium sync tests
 * and the browser-kill scenario.
 */
import type { Page } from 'playwright-core';
import type { TestDesk } from './desk-server';
import { serverDocs } from './replica-checks';

type Doc = Record<string, unknown>;

/**
 * Reads one collection of the replica straight from the page's IndexedDB (RxDB's Dexie storage:
 * database `rxdb-dexie-<replica>--<schema version>--<collection>`, table `docs`), so what is
 * compared is what is on disk, not what the app shows.
 */
const READ_REPLICA = `async (collection) => {
  const names = (await indexedDB.databases()).map((d) => d.name || '')
    .filter((n) => n.startsWith('rxdb-dexie-switchboard_') && n.endsWith('--' + collection))
    .sort((a, b) => Number(b.split('--')[1]) - Number(a.split('--')[1]));
  if (names.length === 0) return [];
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open(names[0]);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  try {
    return await new Promise((resolve, reject) => {
      const r = db.transaction('docs', 'readonly').objectStore('docs').getAll();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  } finally {
    db.close();
  }
}`;

export async function localDocs(
  page: Page,
  collection: 'tickets' | 'activity',
): Promise<Map<string, Doc>> {
  const rows = await page.evaluate<Doc[]>(`(${READ_REPLICA})(${JSON.stringify(collection)})`);
  const key = collection === 'tickets' ? 'number' : 'id';
  const out = new Map<string, Doc>();
  for (const d of rows) {
    if (d._deleted === '1' || d._deleted === true) continue;
    const { _meta: _m, _rev: _r, _deleted: _d, _attachments: _a, ...rest } = d;
    const id = String(rest[key]);
    delete rest[key];
    out.set(id, rest);
  }
  return out;
}

/** Keys in a stable order, so two equal documents print the same. */
function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Doc).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}

/** Throws unless the replica holds exactly the server's documents. */
export async function expectConverged(desk: TestDesk, page: Page): Promise<void> {
  for (const db of ['tickets', 'activity'] as const) {
    const server = await serverDocs(desk, db);
    const local = await localDocs(page, db);
    if (local.size !== server.size)
      throw new Error(`${db}: replica has ${local.size}, server ${server.size}`);
    for (const [id, doc] of server) {
      const mine = local.get(id);
      if (!mine) throw new Error(`${db}: ${id} missing from the replica`);
      if (stable(mine) !== stable(doc)) {
        const fields = [...new Set([...Object.keys(mine), ...Object.keys(doc)])].filter(
          (f) => stable(mine[f]) !== stable(doc[f]),
        );
        const diff = fields.map((f) => `${f}: local ${stable(mine[f])}, server ${stable(doc[f])}`);
        throw new Error(`${db}: ${id} differs (${diff.join('; ')})`);
      }
    }
  }
}

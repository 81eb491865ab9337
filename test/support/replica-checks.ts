/** Comparing a client's replica with the server, document by document. */
import type { NodeClient } from './node-client';
import { PREFIX, type TestDesk } from './desk-server';

type Doc = Record<string, unknown>;

/** All documents of one server database, design documents excluded, keyed by id. */
export async function serverDocs(
  desk: TestDesk,
  db: 'tickets' | 'activity' | 'directory',
): Promise<Map<string, Doc>> {
  const r = await desk.admin.request<{ rows: { id: string; doc: Doc }[] }>(
    'GET',
    `/${PREFIX}${db}/_all_docs?include_docs=true`,
  );
  const out = new Map<string, Doc>();
  for (const row of r.rows) {
    if (row.id.startsWith('_design/')) continue;
    const { _id: _i, _rev: _r, ...rest } = row.doc;
    out.set(row.id, rest);
  }
  return out;
}

/** All documents of one local collection keyed by primary key, without RxDB metadata. */
export async function localDocs(
  client: NodeClient,
  collection: 'tickets' | 'activity' | 'directory',
): Promise<Map<string, Doc>> {
  const docs = await client.ws.db[collection].find().exec();
  const key = collection === 'tickets' ? 'number' : 'id';
  const out = new Map<string, Doc>();
  for (const d of docs) {
    const { _meta: _m, _rev: _r, _deleted: _d, _attachments: _a, ...rest } = d.toJSON() as Doc;
    const id = String(rest[key]);
    delete rest[key];
    out.set(id, rest);
  }
  return out;
}

/**
 * Desk services' view of CouchDB: documented API calls only (single documents, `_all_docs`,
 * `_changes` long-polls, attachment uploads), as the service account. Every piece of state lives
 * in CouchDB; a 409 on create is how an instance learns that another one got there first.
 */
import { couchAdmin, CouchError, type CouchAdmin } from '../provision/couch-admin';

export type Doc = { _id: string; _rev?: string; [k: string]: unknown };

export type Store = {
  readonly couch: CouchAdmin;
  readonly db: (name: string) => string;
  /** The document, or null if it does not exist (or is deleted). */
  readonly get: <T extends Doc>(db: string, id: string) => Promise<T | null>;
  /** Writes `doc`; returns its new rev, or null on a 409 (someone else wrote first). */
  readonly put: (db: string, doc: Doc) => Promise<string | null>;
  /** Creates or overwrites `doc` whatever its current revision (last writer wins). */
  readonly upsert: (db: string, doc: Doc) => Promise<void>;
  /** Documents whose ids start with `prefix`. */
  readonly byPrefix: <T extends Doc>(db: string, prefix: string) => Promise<T[]>;
  readonly changes: (
    db: string,
    since: string,
    timeoutMs: number,
    limit: number,
  ) => Promise<{
    results: { id: string; seq: string; doc?: Doc; deleted?: boolean }[];
    last_seq: string;
  }>;
  readonly putAttachment: (
    db: string,
    id: string,
    rev: string,
    type: string,
    body: Buffer,
  ) => Promise<void>;
};

const enc = encodeURIComponent;

/** A store over `couchUrl` as `user`, with database names under `prefix`. */
export function openStore(couchUrl: string, user: string, password: string, prefix: string): Store {
  const couch = couchAdmin(couchUrl, user, password);
  const auth = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  const put = async (db: string, doc: Doc): Promise<string | null> => {
    const r = await couch.tryRequest('PUT', `/${enc(db)}/${enc(doc._id)}`, doc);
    if (r.status === 409) return null;
    if (r.status !== 201 && r.status !== 202) {
      const b = (r.body ?? {}) as { error?: string; reason?: string };
      throw new CouchError(
        r.status,
        b.error ?? 'error',
        b.reason ?? String(r.body),
        `/${db}/${doc._id}`,
      );
    }
    return (r.body as { rev: string }).rev;
  };
  const get = async <T extends Doc>(db: string, id: string): Promise<T | null> => {
    const r = await couch.tryRequest('GET', `/${enc(db)}/${enc(id)}`);
    if (r.status === 404) return null;
    if (r.status !== 200)
      throw new CouchError(r.status, 'error', JSON.stringify(r.body), `/${db}/${id}`);
    return r.body as T;
  };
  return {
    couch,
    db: (name) => `${prefix}${name}`,
    get,
    put,
    upsert: async (db, doc) => {
      for (let i = 0; i < 10; i++) {
        const cur = await get(db, doc._id);
        const rev = await put(
          db,
          cur?._rev ? { ...doc, _rev: cur._rev } : { ...doc, _rev: undefined },
        );
        if (rev !== null) return;
      }
      throw new Error(`could not write ${db}/${doc._id}: it keeps changing`);
    },
    byPrefix: async <T extends Doc>(db: string, prefix: string): Promise<T[]> => {
      const out: T[] = [];
      let start = JSON.stringify(prefix);
      let skip = 0;
      for (;;) {
        const r = await couch.request<{ rows: { id: string; doc?: T }[] }>(
          'GET',
          `/${enc(db)}/_all_docs?include_docs=true&limit=1000&skip=${skip}&startkey=${enc(start)}&endkey=${enc(JSON.stringify(prefix + '\ufff0'))}`,
        );
        for (const row of r.rows) if (row.doc) out.push(row.doc);
        if (r.rows.length < 1000) return out;
        const last = r.rows[r.rows.length - 1];
        start = JSON.stringify(last?.id ?? prefix);
        skip = 1;
      }
    },
    changes: (db, since, timeoutMs, limit) =>
      couch.request(
        'GET',
        `/${enc(db)}/_changes?feed=longpoll&include_docs=true&since=${enc(since)}&limit=${limit}&timeout=${timeoutMs}`,
      ),
    putAttachment: async (db, id, rev, type, body) => {
      const res = await fetch(`${couch.url}/${enc(db)}/${enc(id)}/data?rev=${enc(rev)}`, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': type },
        body: new Uint8Array(body),
      });
      if (res.status !== 201 && res.status !== 202 && res.status !== 409)
        throw new CouchError(res.status, 'error', await res.text(), `/${db}/${id}/data`);
    },
  };
}

/**
 * The Node side of the ServiceNow import: the file as a stream of text chunks (never the whole
 * file in memory), csv-parse for the fields of each record, and the CouchDB calls over the admin
 * client. The import itself is shared/import/run-import.ts.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { FieldParser, TextChunk } from '../../../shared/import/csv-lines';
import type { ImportPort } from '../../../shared/import/run-import';
import { databaseName, type DatabaseName } from '../../../shared/sync/databases';
import type { CouchAdmin } from '../provision/couch-admin';

type Doc = Record<string, unknown>;

/** Splits one CSV record with csv-parse (stray quotes inside a field are kept as text). */
export const parseCsvFields: FieldParser = (text) => {
  try {
    const records: string[][] = parse(text, { relax_quotes: true, relax_column_count: true });
    if (records.length !== 1 || !records[0]) return { error: 'not one CSV record' };
    return records[0];
  } catch (err) {
    return { error: `not valid CSV: ${err instanceof Error ? err.message : String(err)}` };
  }
};

/** The file at `path` as UTF-8 text chunks, each with the bytes read so far. */
export async function* fileChunks(path: string): AsyncGenerator<TextChunk> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const buf of stream as AsyncIterable<Buffer>) {
    bytes += buf.length;
    yield { text: decoder.decode(buf, { stream: true }), bytes };
  }
  const tail = decoder.decode();
  if (tail !== '') yield { text: tail, bytes };
}

const PRIMARY: Record<DatabaseName, string> = {
  tickets: 'number',
  activity: 'id',
  directory: 'id',
};

/** The import's server calls (`_all_docs`, `_bulk_docs`) through an admin client. */
export function couchImportPort(couch: CouchAdmin, prefix: string): ImportPort {
  return {
    getDocs: async (db, ids) => {
      const out = new Map<string, Doc>();
      for (let i = 0; i < ids.length; i += 1000) {
        const keys = ids.slice(i, i + 1000);
        if (keys.length === 0) continue;
        const res = await couch.request<{ rows: { key: string; doc?: Doc | null }[] }>(
          'POST',
          `/${databaseName(prefix, db)}/_all_docs?include_docs=true`,
          { keys },
        );
        for (const row of res.rows) {
          if (!row.doc) continue;
          const { _id, ...rest } = row.doc;
          out.set(row.key, { ...rest, [PRIMARY[db]]: _id });
        }
      }
      return out;
    },
    getRange: async (db, startkey, endkey) => {
      const out = new Map<string, Doc>();
      const q = `include_docs=true&startkey=${encodeURIComponent(JSON.stringify(startkey))}&endkey=${encodeURIComponent(JSON.stringify(endkey))}`;
      const res = await couch.request<{ rows: { id: string; doc?: Doc | null }[] }>(
        'GET',
        `/${databaseName(prefix, db)}/_all_docs?${q}`,
      );
      for (const row of res.rows) {
        if (!row.doc) continue;
        const { _id, ...rest } = row.doc;
        out.set(row.id, { ...rest, [PRIMARY[db]]: _id });
      }
      return out;
    },
    bulkDocs: async (db, docs) => {
      const results: { id?: string; ok?: boolean; error?: string; reason?: string }[] = [];
      for (let i = 0; i < docs.length; i += 2000) {
        const chunk = docs.slice(i, i + 2000);
        results.push(
          ...(await couch.request<typeof results>(
            'POST',
            `/${databaseName(prefix, db)}/_bulk_docs`,
            { docs: chunk },
          )),
        );
      }
      return results;
    },
  };
}

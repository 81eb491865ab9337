/**
 * The Import page's side of the ServiceNow import: the chosen file read as a stream (never whole),
 * csv-parse's browser build for each record, and the server calls over the signed-in admin's
 * session. The import itself is the same shared/import/run-import.ts the CLI runs, so the page
 * and `npm run import` import identically; the server's rules accept imported history from
 * administrators only. Works wherever the console reaches the server (web shell, Electron's
 * app://), as it uses nothing but the console's own CouchDB requests.
 */
import { parse } from 'csv-parse/browser/esm/sync';
import { csvRecords, type FieldParser, type TextChunk } from '../../../shared/import/csv-lines';
import {
  importServiceNow,
  type ImportOptions,
  type ImportPort,
  type ImportReport,
} from '../../../shared/import/run-import';
import { databaseName, type DatabaseName } from '../../../shared/sync/databases';
import { couchJson, type Fetch } from './couch-http';

type Doc = Record<string, unknown>;

const parseFields: FieldParser = (text) => {
  try {
    const records: string[][] = parse(text, { relax_quotes: true, relax_column_count: true });
    if (records.length !== 1 || !records[0]) return { error: 'not one CSV record' };
    return records[0];
  } catch (err) {
    return { error: `not valid CSV: ${err instanceof Error ? err.message : String(err)}` };
  }
};

/** `file` as UTF-8 text chunks with the bytes read so far. */
export async function* blobChunks(file: Blob): AsyncGenerator<TextChunk> {
  const reader = file.stream().getReader();
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    yield { text: decoder.decode(value, { stream: true }), bytes };
  }
  const tail = decoder.decode();
  if (tail !== '') yield { text: tail, bytes };
}

const PRIMARY: Record<DatabaseName, string> = {
  tickets: 'number',
  activity: 'id',
  directory: 'id',
};

/** The import's `_all_docs` and `_bulk_docs` calls over the console's session. */
export function sessionImportPort(couchUrl: string, prefix: string, fetchImpl?: Fetch): ImportPort {
  const base = couchUrl.replace(/\/$/, '');
  const post = <T>(path: string, body: unknown) =>
    couchJson<T>(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) }, fetchImpl);
  return {
    getDocs: async (db, ids) => {
      const out = new Map<string, Doc>();
      for (let i = 0; i < ids.length; i += 1000) {
        const keys = ids.slice(i, i + 1000);
        if (keys.length === 0) continue;
        const res = await post<{ rows: { key: string; doc?: Doc | null }[] }>(
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
      const res = await couchJson<{ rows: { id: string; doc?: Doc | null }[] }>(
        `${base}/${databaseName(prefix, db)}/_all_docs?${q}`,
        {},
        fetchImpl,
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
      for (let i = 0; i < docs.length; i += 1000)
        results.push(
          ...(await post<typeof results>(`/${databaseName(prefix, db)}/_bulk_docs`, {
            docs: docs.slice(i, i + 1000),
          })),
        );
      return results;
    },
  };
}

/** Imports `file` as the signed-in user. */
export function importFile(
  file: Blob,
  couchUrl: string,
  prefix: string,
  opts: ImportOptions,
): Promise<ImportReport> {
  return importServiceNow(
    csvRecords(blobChunks(file), parseFields),
    sessionImportPort(couchUrl, prefix),
    opts,
  );
}

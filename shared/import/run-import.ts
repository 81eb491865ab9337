/**
 * The ServiceNow import: reads CSV records one at a time (the caller streams them from a file),
 * groups the rows of each incident, and every few hundred incidents compares what it built with
 * what the server has and writes only what is new or changed, with `_bulk_docs`. Ids derive from
 * the source (see external-ref.ts), so a second run writes nothing, a later export updates and
 * adds, and a run that was killed resumes by running again. Memory holds one batch, the directory
 * names seen and the source numbers seen, never the file. No I/O of its own: `port` talks to the
 * server, so the CLI (Node) and the Import page (browser) run this same code.
 */
import type { DatabaseName } from '../sync/databases';
import {
  buildIncident,
  directoryDoc,
  directoryId,
  namesOf,
  readHeader,
  readRow,
  ticketDigest,
  type DateFormat,
  type DirectoryKind,
  type Header,
  type SnRow,
} from './servicenow';
import { stableJson } from '../domain/merge';
import { parseExternalRef } from './external-ref';

type Doc = Record<string, unknown>;

/** One record of the CSV as the reader delivers it: its fields, or why it could not be read. */
export type CsvRecord =
  | { readonly line: number; readonly fields: readonly string[]; readonly bytes?: number }
  | { readonly line: number; readonly error: string; readonly bytes?: number };

/** A row the import refused. */
export type Refusal = {
  readonly line: number;
  readonly number: string | null;
  readonly reason: string;
};

/** What the import needs from the server: documented CouchDB calls only. */
export type ImportPort = {
  /**
   * `POST /{db}/_all_docs?include_docs=true` with `keys`: the live documents found, in the app's
   * shape (`_id` back in the primary field, `number` or `id`) with their `_rev`.
   */
  readonly getDocs: (db: DatabaseName, ids: readonly string[]) => Promise<Map<string, Doc>>;
  /**
   * `GET /{db}/_all_docs?include_docs=true&startkey=…&endkey=…`: the live documents with ids in
   * the range, same shape as getDocs. One scan instead of a lookup per key, for sorted exports.
   */
  readonly getRange: (
    db: DatabaseName,
    startkey: string,
    endkey: string,
  ) => Promise<Map<string, Doc>>;
  /** `POST /{db}/_bulk_docs`: one result per document. */
  readonly bulkDocs: (
    db: DatabaseName,
    docs: readonly Doc[],
  ) => Promise<readonly { id?: string; ok?: boolean; error?: string; reason?: string }[]>;
};

/** Progress after each batch. */
export type ImportProgress = {
  readonly rows: number;
  readonly incidents: number;
  readonly refused: number;
  /** Bytes of the file read so far, when the reader knows them. */
  readonly bytes: number | null;
};

export type ImportOptions = {
  readonly dryRun?: boolean;
  readonly dateFormat?: DateFormat;
  /** Incidents per batch (default 200). */
  readonly batchIncidents?: number;
  readonly onProgress?: (p: ImportProgress) => void;
  /** Called for every refused row, in order (the CLI writes the refusals CSV from it). */
  readonly onRefusal?: (r: Refusal) => void;
};

/** Counts of what was (or, in a dry run, would be) written. */
export type WriteCounts = { created: number; updated: number; unchanged: number };

/** The result of an import. */
export type ImportReport = {
  dryRun: boolean;
  rows: number;
  acceptedRows: number;
  refusedRows: number;
  /** The first 1,000 refusals (all of them go to `onRefusal`). */
  refusals: Refusal[];
  incidents: WriteCounts & {
    /** Imported tickets edited in Switchboard since their import: left as they are. */
    keptLocalEdits: number;
  };
  activity: WriteCounts & { differing: number };
  directory: WriteCounts;
  /** Final ServiceNow state of each imported incident, by state label. */
  states: Record<string, number>;
  /** Incidents whose reopen_count / reassignment_count disagree with their rows. */
  reopenCountDiffers: number;
  reassignmentCountDiffers: number;
  links: number;
  /** Documents the server refused (with why). */
  serverRefusals: { id: string; reason: string }[];
};

const MAX_KEPT_REFUSALS = 1000;

function emptyCounts(): WriteCounts {
  return { created: 0, updated: 0, unchanged: 0 };
}

function stripCouch(doc: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v;
  return out;
}

function withId(doc: Doc, primary: string, rev?: unknown): Doc {
  const { [primary]: id, ...rest } = doc;
  return { _id: id, ...(typeof rev === 'string' ? { _rev: rev } : {}), ...rest };
}

/** Runs the import of `records` (header first) through `port`. */
export async function importServiceNow(
  records: AsyncIterable<CsvRecord>,
  port: ImportPort,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const dryRun = opts.dryRun ?? false;
  const dateFormat = opts.dateFormat ?? 'd/m/yyyy';
  const batchSize = opts.batchIncidents ?? 200;
  const report: ImportReport = {
    dryRun,
    rows: 0,
    acceptedRows: 0,
    refusedRows: 0,
    refusals: [],
    incidents: { ...emptyCounts(), keptLocalEdits: 0 },
    activity: { ...emptyCounts(), differing: 0 },
    directory: emptyCounts(),
    states: {},
    reopenCountDiffers: 0,
    reassignmentCountDiffers: 0,
    links: 0,
    serverRefusals: [],
  };
  const refuse = (r: Refusal) => {
    report.refusedRows++;
    if (report.refusals.length < MAX_KEPT_REFUSALS) report.refusals.push(r);
    opts.onRefusal?.(r);
  };

  let header: Header | null = null;
  /** Source numbers of incidents finished in this run. */
  const seen = new Set<string>();
  /** Directory ids already compared with the server in this run (kind per id). */
  const directoryDone = new Map<string, DirectoryKind>();
  /** Tickets naming a source number that had not been imported yet when they were built. */
  const pendingLinks: { number: string; ref: string }[] = [];
  let current: SnRow[] = [];
  let batch: SnRow[][] = [];
  const inBatch = new Set<string>();
  let bytes: number | null = null;
  let writing: Promise<void> = Promise.resolve();

  const finishIncident = () => {
    if (current.length > 0) {
      batch.push(current);
      inBatch.add(current[0]?.number ?? '');
    }
    current = [];
  };

  const write = async (db: DatabaseName, docs: Doc[]) => {
    if (dryRun || docs.length === 0) return;
    const res = await port.bulkDocs(db, docs);
    for (const r of res) {
      if (r.ok) continue;
      report.serverRefusals.push({
        id: String(r.id ?? '?'),
        reason: `${r.error ?? 'error'}: ${r.reason ?? ''}`,
      });
    }
  };

  const flush = async () => {
    const incidents = batch;
    batch = [];
    inBatch.clear();
    if (incidents.length === 0) return;
    // Directory: each name once per run; staff wins over caller for the same person id.
    const dirDocs = new Map<string, { kind: DirectoryKind; doc: Doc }>();
    for (const rows of incidents)
      for (const row of rows)
        for (const [kind, name] of namesOf(row)) {
          const id = directoryId(kind, name);
          const done = directoryDone.get(id);
          if (done === kind || (done === 'staff' && kind === 'caller')) continue;
          const prior = dirDocs.get(id);
          if (prior && !(kind === 'staff' && prior.kind === 'caller')) continue;
          dirDocs.set(id, { kind, doc: directoryDoc(kind, name) });
        }
    const ticketIds = incidents.map(
      (rows) => parseExternalRef(rows[0]?.number ?? '')?.number ?? '',
    );
    // A batch of a sorted export covers a range of numbers: read it with one range scan each.
    const ascending = ticketIds.every((id, i) => i === 0 || (ticketIds[i - 1] ?? '') < id);
    const first = ticketIds[0] ?? '';
    const last = ticketIds[ticketIds.length - 1] ?? '';
    const [existingDir, existingTickets] = await Promise.all([
      port.getDocs('directory', [...dirDocs.keys()]),
      ascending ? port.getRange('tickets', first, last) : port.getDocs('tickets', ticketIds),
    ]);
    const dirWrites: Doc[] = [];
    for (const [id, { kind, doc }] of dirDocs) {
      const old = existingDir.get(id);
      directoryDone.set(id, kind);
      if (old && stableJson(stripCouch(old)) === stableJson(doc)) report.directory.unchanged++;
      else if (old && old.imported === undefined)
        report.directory.unchanged++; // not ours: keep
      else if (old && old.staff === true && doc.staff === false) report.directory.unchanged++;
      else {
        if (old) report.directory.updated++;
        else report.directory.created++;
        dirWrites.push(withId(doc, 'id', old?._rev));
      }
    }
    const built = incidents.map((rows) => {
      const number = parseExternalRef(rows[0]?.number ?? '')?.number ?? '';
      const old = existingTickets.get(number);
      const oldLinks = new Set(
        Array.isArray(old?.links) ? (old.links as { id?: unknown }[]).map((l) => String(l.id)) : [],
      );
      return buildIncident(
        rows,
        (ref) => seen.has(ref) || oldLinks.has(parseExternalRef(ref)?.number ?? ''),
      );
    });
    const activityIds = built.flatMap((b) => b.activity.map((a) => String(a.id)));
    const existingActivity = ascending
      ? await port.getRange('activity', `${first}:`, `${last}:\ufff0`)
      : await port.getDocs('activity', activityIds);
    const activityWrites: Doc[] = [];
    const ticketWrites: Doc[] = [];
    for (const b of built) {
      seen.add(b.ref);
      for (const a of b.activity) {
        const old = existingActivity.get(String(a.id));
        if (!old) {
          report.activity.created++;
          activityWrites.push(withId(a, 'id'));
        } else if (stableJson(stripCouch(old)) === stableJson(a)) report.activity.unchanged++;
        else report.activity.differing++;
      }
      const t = b.ticket;
      const imported = t.imported as Doc;
      const number = String(t.number);
      const stateLabel = String(imported.state);
      report.states[stateLabel] = (report.states[stateLabel] ?? 0) + 1;
      if (imported.reopenCount !== null && imported.reopenCount !== imported.historyReopens)
        report.reopenCountDiffers++;
      if (
        imported.reassignmentCount !== null &&
        imported.reassignmentCount !== imported.historyGroupChanges
      )
        report.reassignmentCountDiffers++;
      report.links += (t.links as unknown[]).length;
      for (const ref of b.linkRefs) if (!seen.has(ref)) pendingLinks.push({ number, ref });
      const old = existingTickets.get(number);
      if (!old) {
        report.incidents.created++;
        ticketWrites.push(withId(t, 'number'));
        continue;
      }
      const oldImported = (old.imported ?? {}) as Doc;
      if (oldImported.digest === imported.digest) {
        report.incidents.unchanged++;
      } else if (ticketDigest(old) !== oldImported.digest) {
        report.incidents.keptLocalEdits++;
      } else {
        report.incidents.updated++;
        ticketWrites.push(withId(t, 'number', old._rev));
      }
    }
    // Reference data first, then the history, then the tickets that name them: a run killed
    // in between leaves nothing that points at a missing document, and the next run completes it.
    // One batch is written while the next is read and built (never two writes at once; the next
    // batch names other tickets and activity, and directory ids are settled before writing).
    const progress: ImportProgress = {
      rows: report.rows,
      incidents: seen.size,
      refused: report.refusedRows,
      bytes,
    };
    await writing;
    writing = (async () => {
      await write('directory', dirWrites);
      await write('activity', activityWrites);
      await write('tickets', ticketWrites);
      opts.onProgress?.(progress);
    })();
    // A failed write is reported by the next await of `writing`, not as an unhandled rejection.
    writing.catch(() => undefined);
  };

  for await (const rec of records) {
    if (rec.bytes !== undefined) bytes = rec.bytes;
    if (header === null) {
      if ('error' in rec)
        throw new Error(`line ${rec.line}: the header cannot be read: ${rec.error}`);
      const h = readHeader(rec.fields);
      if (!h.ok)
        throw new Error(`line ${rec.line}: ${h.error}; is this a ServiceNow incident export?`);
      header = h.header;
      continue;
    }
    report.rows++;
    if ('error' in rec) {
      refuse({ line: rec.line, number: null, reason: rec.error });
      continue;
    }
    const r = readRow(header, rec.fields, rec.line, dateFormat);
    if (!r.ok) {
      refuse({ line: rec.line, number: r.number, reason: r.reason });
      continue;
    }
    const row = r.row;
    const open = current[0];
    if (open && open.number !== row.number) {
      finishIncident();
      if (batch.length >= batchSize) await flush();
    }
    if (seen.has(row.number) || inBatch.has(row.number)) {
      refuse({
        line: row.line,
        number: row.number,
        reason: `the rows of ${row.number} are not together (the export must be sorted by number)`,
      });
      continue;
    }
    if (current.some((x) => x.modCount === row.modCount)) {
      refuse({
        line: row.line,
        number: row.number,
        reason: `a second row with sys_mod_count ${row.modCount} for ${row.number}`,
      });
      continue;
    }
    report.acceptedRows++;
    current.push(row);
  }
  if (header === null) throw new Error('the file is empty');
  finishIncident();
  await flush();
  await writing;
  await resolvePendingLinks(port, pendingLinks, seen, report, dryRun);
  return report;
}

async function resolvePendingLinks(
  port: ImportPort,
  pending: readonly { number: string; ref: string }[],
  seen: ReadonlySet<string>,
  report: ImportReport,
  dryRun: boolean,
): Promise<void> {
  const byTicket = new Map<string, string[]>();
  for (const p of pending) {
    const target = parseExternalRef(p.ref);
    if (!seen.has(p.ref) || !target) continue;
    byTicket.set(p.number, [...(byTicket.get(p.number) ?? []), target.number]);
  }
  if (byTicket.size === 0) return;
  const docs = await port.getDocs('tickets', [...byTicket.keys()]);
  const writes: Doc[] = [];
  for (const [number, targets] of byTicket) {
    const doc = docs.get(number);
    if (!doc && !dryRun) continue;
    const links = [...((doc?.links ?? []) as { kind: string; id: string }[])];
    const imported = (doc?.imported ?? {}) as Doc;
    const untouched = doc ? ticketDigest(doc) === imported.digest : true;
    for (const id of targets)
      if (!links.some((l) => l.id === id)) {
        links.push({ kind: 'ticket', id });
        report.links++;
      }
    if (!doc || !untouched) continue;
    links.sort((a, b) => (a.id < b.id ? -1 : 1));
    const next: Doc = { ...doc, links };
    next.imported = { ...imported, digest: ticketDigest(next) };
    if (stableJson(next) !== stableJson(doc)) writes.push(withId(next, 'number'));
  }
  if (!dryRun && writes.length > 0) {
    const res = await port.bulkDocs('tickets', writes);
    for (const r of res)
      if (!r.ok)
        report.serverRefusals.push({ id: String(r.id ?? '?'), reason: `${r.error}: ${r.reason}` });
  }
}

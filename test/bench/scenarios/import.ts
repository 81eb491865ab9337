/**
 * import: a ServiceNow export of the full log's size (141,712 rows; `--quick`: 1,000) generated
 * with the sample's shape, imported into the real embedded server through the product's importer
 * (stream, csv-parse, mapping, compare with the server, `_bulk_docs`), against the anchor of
 * writing the very documents it wrote with plain `_bulk_docs` (2,000 a request) into fresh
 * databases of the same server in the same run, with the same validation. Then the queue, search
 * and wallboard figures on the imported desk, with "now" the hour after its last update.
 */
import { DEFAULT_SLA_CONFIG } from '../../../server/src/provision/sla-defaults';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvRecords } from '../../../shared/import/csv-lines';
import { importServiceNow } from '../../../shared/import/run-import';
import { BUILT_IN_VIEWS, QueueIndex, type QueueContext } from '../../../shared/queue';
import {
  computeWallboard,
  SlaMemo,
  WallboardSubset,
  wallboardCutoff,
} from '../../../shared/wallboard';
import type { Ticket } from '../../../shared/domain';
import { databaseName, type DatabaseName } from '../../../shared/sync/databases';
import {
  couchImportPort,
  fileChunks,
  parseCsvFields,
} from '../../../server/src/import/servicenow-node';
import { provision } from '../../../server/src/provision/provision';
import { DEMO_STAFF } from '../../../server/src/provision/demo-directory';
import type { CouchAdmin } from '../../../server/src/provision/couch-admin';
import { PREFIX, startTestDesk } from '../../support/desk-server';
import { writeServiceNowFile } from '../support/servicenow-file';
import { percentile, time } from '../support/stats';
import type { BenchOptions, Figure, Scenario } from '../types';

type Doc = Record<string, unknown>;
const DBS: readonly DatabaseName[] = ['directory', 'activity', 'tickets'];

/** Copies every imported document of `db` to `to` with plain `_bulk_docs`; returns write ms. */
async function copyWithBulkDocs(couch: CouchAdmin, from: string, to: string): Promise<number> {
  let writeMs = 0;
  let startkey: string | undefined;
  for (;;) {
    const q = `include_docs=true&limit=2001${startkey ? `&startkey=${encodeURIComponent(JSON.stringify(startkey))}` : ''}`;
    const res = await couch.request<{ rows: { id: string; doc: Doc }[] }>(
      'GET',
      `/${from}/_all_docs?${q}`,
    );
    const page = res.rows.slice(0, 2000);
    const docs = page
      .filter((r) => !r.id.startsWith('_design/') && r.doc.imported !== undefined)
      .map(({ doc }) => {
        const { _rev, ...rest } = doc;
        void _rev;
        return rest;
      });
    if (docs.length > 0) {
      const t = performance.now();
      await couch.request('POST', `/${to}/_bulk_docs`, { docs });
      writeMs += performance.now() - t;
    }
    if (res.rows.length <= 2000) return writeMs;
    startkey = res.rows[2000]?.id;
  }
}

async function run(o: BenchOptions): Promise<Figure[]> {
  const rows = o.quick ? 1000 : 141_712;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-import-'));
  const file = join(dir, 'incident_event_log.csv');
  const desk = await startTestDesk();
  try {
    const written = await writeServiceNowFile(file, rows);
    const t0 = performance.now();
    const report = await importServiceNow(
      csvRecords(fileChunks(file), parseCsvFields),
      couchImportPort(desk.admin, PREFIX),
    );
    const importS = (performance.now() - t0) / 1000;
    if (report.refusedRows > 0 || report.serverRefusals.length > 0)
      throw new Error(`bench import refused ${report.refusedRows} rows`);
    const docs = report.incidents.created + report.activity.created + report.directory.created;

    await provision(desk.admin, 'raw_', DEMO_STAFF);
    let rawMs = 0;
    for (const db of DBS)
      rawMs += await copyWithBulkDocs(
        desk.admin,
        databaseName(PREFIX, db),
        databaseName('raw_', db),
      );
    const rawS = rawMs / 1000;

    // The imported desk through the product's queue index and wallboard.
    const all = await desk.admin.request<{ rows: { id: string; doc: Doc }[] }>(
      'GET',
      `/${databaseName(PREFIX, 'tickets')}/_all_docs?include_docs=true`,
    );
    const tickets = all.rows
      .filter((r) => !r.id.startsWith('_design/'))
      .map(({ doc }) => {
        const { _id, _rev, ...rest } = doc;
        void _rev;
        return { ...rest, number: _id } as unknown as Ticket;
      });
    const now = Math.max(...tickets.map((t) => Date.parse(t.updatedAt))) + 3_600_000;
    const ctx: QueueContext = { me: 'alice', groupIds: [], now, sla: DEFAULT_SLA_CONFIG };
    const idx = new QueueIndex();
    const loadMs = time(() => idx.load(tickets));
    const viewMs = BUILT_IN_VIEWS.map((v) => time(() => idx.count(v, ctx)));
    const typed = ['I', 'IN', 'INC', 'INC0', 'INC00', 'INC001', 'INC0012', 'INC00123'];
    const search = (q: string) =>
      time(() =>
        idx.count(
          { id: 'q', name: 'q', filter: { text: q }, sort: { field: 'updatedAt', dir: 'desc' } },
          ctx,
        ),
      );
    // The first keystroke builds every ticket's search text; the next typing finds it built.
    const searchMs = typed.map(search);
    const warmSearchMs = ['C', 'CA', 'CAT', 'CATE', 'CATEG', 'CATEGORY', 'CATEGORY 2'].map(search);
    const dayStart = new Date(now).setUTCHours(0, 0, 0, 0);
    const boardMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const memo = new SlaMemo(DEFAULT_SLA_CONFIG);
      boardMs.push(
        time(() => {
          const subset = new WallboardSubset();
          subset.load(tickets, wallboardCutoff(now, dayStart));
          return computeWallboard(subset.tickets(), {
            now,
            dayStartMs: dayStart,
            online: [],
            limit: 12,
            slaConfig: DEFAULT_SLA_CONFIG,
            slaOf: memo.at(now),
          });
        }),
      );
    }
    return [
      {
        name: `import of ${written} rows (${report.incidents.created} incidents, ${docs} documents)`,
        value: importS,
        unit: 's',
        anchor: { name: 'plain _bulk_docs of the same documents', value: rawS },
      },
      { name: 'import rows per second', value: written / importS, unit: 'rows/s' },
      {
        name: `imported desk: queue index load (${tickets.length} tickets)`,
        value: loadMs,
        unit: 'ms',
      },
      {
        name: 'imported desk: slowest built-in view, first count',
        value: Math.max(...viewMs),
        unit: 'ms',
      },
      {
        name: 'imported desk: search per keystroke p95 (first typing)',
        value: percentile(searchMs, 95),
        unit: 'ms',
      },
      {
        name: 'imported desk: search per keystroke p95 (next typing)',
        value: percentile(warmSearchMs, 95),
        unit: 'ms',
      },
      {
        name: 'imported desk: wallboard full refresh p50',
        value: percentile(boardMs, 50),
        unit: 'ms',
      },
    ];
  } finally {
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const importScenario: Scenario = { name: 'import', run };

/**
 * Documents arriving from the server, fuzzed end to end: fast-check generates tickets and
 * activity entries (valid ones with hostile mutations, and arbitrary JSON), an admin writes them
 * with the server's rules out of the way (as software other than Switchboard, or a database
 * from before provisioning, could), and a fresh client syncs. The client must not crash, must
 * reach "in sync", must hold every valid document and quarantine every invalid one, each
 * exactly once, and must go on syncing ordinary changes afterwards.
 */
import fc from 'fast-check';
import { PREFIX, startTestDesk } from '../../support/desk-server';
import { startNodeClient } from '../../support/node-client';
import { eventually } from '../../support/eventually';
import { baseTicket, mutatedTicket } from '../../support/arbitraries';
import { newTicketNumber, validateActivity, validateTicket } from '../../../shared/domain';
import { getTicket } from '../../../renderer/src/data/tickets-repo';
import type { ScenarioOptions, ScenarioResult } from '../types';

type Doc = Record<string, unknown>;
type Db = 'tickets' | 'activity';

const intactTicket = fc.double({ min: 0, max: 0.999 }).map((r) => ({ ...baseTicket(r) }));
const jsonObject = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }));

/** Usually a good value, sometimes any JSON at all. */
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: fc.jsonValue(), weight: 1 });

const activityEntry = fc.record(
  {
    ticketNumber: mostly(fc.constant('INC-000000000000')),
    type: mostly(fc.constantFrom('work-note', 'reply', 'field-change')),
    at: mostly(fc.constant('2026-11-25T09:00:00.000Z')),
    by: mostly(fc.constant('ben')),
    schemaVersion: mostly(fc.constant(1)),
    body: mostly(fc.string({ unit: 'grapheme', maxLength: 400 })),
    data: mostly(fc.constant({})),
  },
  { requiredKeys: ['ticketNumber', 'type', 'at', 'by', 'schemaVersion', 'body'] },
);

/** Without the leading underscore CouchDB reserves, and without the primary-key field. */
function couchBody(doc: Doc, primary: string): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc))
    if (!k.startsWith('_') && k !== primary)
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true });
  return out;
}

async function writeAround(
  admin: Awaited<ReturnType<typeof startTestDesk>>['admin'],
  db: Db,
  docs: readonly Doc[],
): Promise<string[]> {
  const ddocUrl = `/${PREFIX}${db}/_design/switchboard`;
  const ddoc = await admin.request<Doc>('GET', ddocUrl);
  await admin.request('DELETE', `${ddocUrl}?rev=${String(ddoc._rev)}`);
  try {
    const r = await admin.request<{ id: string; ok?: boolean; error?: string }[]>(
      'POST',
      `/${PREFIX}${db}/_bulk_docs`,
      { docs },
    );
    const refused = r.filter((x) => !x.ok);
    if (refused.length > 0)
      process.stdout.write(
        `  ${db}: the server refused ${refused.length}: ${JSON.stringify(refused.slice(0, 3))}\n`,
      );
    return r.filter((x) => x.ok).map((x) => x.id);
  } finally {
    const { _rev: _r, ...body } = ddoc;
    await admin.request('PUT', ddocUrl, body);
  }
}

export async function hostileDocuments(o: ScenarioOptions): Promise<ScenarioResult> {
  const count = o.quick ? 60 : 400;
  const desk = await startTestDesk({ tickets: 40 });
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  try {
    const ordinary = await desk.admin.request<{ rows: { id: string; doc: Doc }[] }>(
      'GET',
      `/${PREFIX}tickets/_all_docs?include_docs=true&limit=5`,
    );
    const ticketDocs = fc
      .sample(fc.oneof(intactTicket, mutatedTicket, mutatedTicket, jsonObject), {
        seed: o.seed,
        numRuns: count,
      })
      // One number each (samples repeat): a well-formed number is swapped for a unique one.
      .map((d, i) => {
        const unique = newTicketNumber('incident', {
          now: 0,
          deviceId: 'fuzz',
          random: () => i / count,
        });
        const id = /^INC-[0-9A-Z]{12}$/.test(String(d.number)) ? unique : idFor(d.number, unique);
        return { ...couchBody(d, 'number'), _id: id };
      });
    const activityDocs = fc
      .sample(fc.oneof(activityEntry, jsonObject), { seed: o.seed + 1, numRuns: count })
      .map((d, i) => ({ ...couchBody(d, 'id'), _id: `fuzz:${o.seed}:${i}` }));
    const written: Record<Db, string[]> = {
      tickets: await writeAround(desk.admin, 'tickets', ticketDocs),
      activity: await writeAround(desk.admin, 'activity', activityDocs),
    };

    const client = await startNodeClient(desk, 'ben');
    try {
      await eventually(
        async () => {
          await client.settled(10_000);
          for (const db of ['tickets', 'activity'] as const) {
            const local = new Set(
              (await client.ws.db[db].find().exec()).map((d) => String(d.primary)),
            );
            const quarantined = new Set(
              (await client.ws.db.quarantine.find({ selector: { store: db } }).exec()).map((d) =>
                String(d.get('docId')),
              ),
            );
            const missing = written[db].filter((id) => !local.has(id) && !quarantined.has(id));
            if (missing.length > 0) throw new Error(`${db}: ${missing.length} not yet seen`);
          }
        },
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
      const validators: Record<Db, (d: Doc) => boolean> = {
        tickets: (d) => validateTicket(d).ok,
        activity: (d) => validateActivity(d).ok,
      };
      const counts: string[] = [];
      for (const db of ['tickets', 'activity'] as const) {
        const primary = db === 'tickets' ? 'number' : 'id';
        const server = await desk.admin.request<{ rows: { id: string; doc: Doc }[] }>(
          'POST',
          `/${PREFIX}${db}/_all_docs?include_docs=true`,
          { keys: written[db] },
        );
        const local = new Set((await client.ws.db[db].find().exec()).map((d) => String(d.primary)));
        const quarantine = (await client.ws.db.quarantine.find({ selector: { store: db } }).exec())
          .map((d) => String(d.get('docId')))
          .filter((id) => written[db].includes(id));
        let valid = 0;
        for (const row of server.rows) {
          const { _id, _rev: _r, ...rest } = row.doc;
          const ok = validators[db]({ ...rest, [primary]: _id });
          const inLocal = local.has(row.id);
          const inQuarantine = quarantine.includes(row.id);
          if (ok) valid += 1;
          if (ok && !inLocal) {
            lost += 1;
            problems.push(`${db} ${row.id}: valid but not in the replica`);
          }
          if (!ok && !inQuarantine) {
            lost += 1;
            problems.push(`${db} ${row.id}: invalid but not quarantined`);
          }
          if (!ok && inLocal) problems.push(`${db} ${row.id}: invalid but in the replica`);
        }
        duplicated += quarantine.length - new Set(quarantine).size;
        counts.push(`${db}: ${written[db].length} written, ${valid} valid`);
      }

      // Sync goes on: an ordinary change on the server reaches the client.
      const row = ordinary.rows.find((r) => !r.id.startsWith('_design/'));
      if (!row) throw new Error('no ordinary ticket to edit');
      const title = `Edited after the hostile batch (${o.seed})`;
      await desk.admin.request('PUT', `/${PREFIX}tickets/${row.id}`, {
        ...row.doc,
        title,
        updatedAt: new Date().toISOString(),
        updatedBy: 'admin',
      });
      await eventually(async () => {
        if ((await getTicket(client.ws.db, row.id))?.title !== title)
          throw new Error('the ordinary change did not arrive');
      });
      return {
        scenario: 'hostile-documents',
        iterations: written.tickets.length + written.activity.length,
        failures: problems.length,
        lost,
        duplicated,
        seeds: [o.seed],
        notes: [...counts, ...problems],
      };
    } finally {
      await client.close();
    }
  } finally {
    await desk.stop();
  }
}

function idFor(n: unknown, fallback: string): string {
  return typeof n === 'string' && n.length > 0 && n.length < 100 && !n.startsWith('_')
    ? n
    : fallback;
}

/**
 * Revision conflicts left on the server by another replicator (a sibling leaf written with
 * `new_edits: false`, as CouchDB replication does) are found and merged with the shared merge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREFIX, startTestDesk, type TestDesk } from '../../support/desk-server';
import { priorityOf, type Level } from '../../../shared/domain';
import { startConflictResolver } from '../../../server/src/sync/conflict-resolver';

type Doc = Record<string, unknown> & { _id: string; _rev: string };
let desk: TestDesk;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 40 });
});
afterAll(async () => {
  await desk?.stop();
});

const db = `/${PREFIX}tickets`;

/**
 * Writes `body` as a new leaf next to the current one, as another replicator would. PouchDB
 * Server's validation plugin replaces `_revisions` of incoming documents with the stored ones,
 * which turns every `new_edits: false` write into a silent no-op while a validate_doc_update
 * exists (see docs/sync.md); the sibling is written with the design document out of the way.
 */
async function writeSibling(
  id: string,
  parentRev: string,
  body: Record<string, unknown>,
  tag: string,
) {
  const [pos, hash] = parentRev.split('-');
  const rev = `${Number(pos) + 1}-${tag.padEnd(32, '0')}`;
  const ddocUrl = `${db}/_design/switchboard`;
  const ddoc = await desk.admin.request<Doc>('GET', ddocUrl);
  await desk.admin.request('DELETE', `${ddocUrl}?rev=${ddoc._rev}`);
  const { _rev: _dr, ...ddocBody } = ddoc;
  const res = await desk.admin.request<unknown[]>('POST', `${db}/_bulk_docs`, {
    new_edits: false,
    docs: [
      {
        ...body,
        _id: id,
        _rev: rev,
        _revisions: { start: Number(pos) + 1, ids: [tag.padEnd(32, '0'), hash] },
      },
    ],
  });
  await desk.admin.request('PUT', ddocUrl, ddocBody);
  expect(res).toEqual([]);
  return rev;
}

describe('server-side revision conflicts', () => {
  it('merges sibling leaves field by field, records the lossy field, deletes the losers', async () => {
    const all = await desk.admin.request<{ rows: { id: string; doc: Doc }[] }>(
      'GET',
      `${db}/_all_docs?include_docs=true`,
    );
    const t = all.rows.find(
      (r) =>
        !r.id.startsWith('_design/') && r.doc.kind === 'incident' && r.doc.state === 'in-progress',
    )!.doc;
    const later = (m: number) =>
      new Date(Date.parse(String(t.updatedAt)) + m * 60_000).toISOString();
    const { _rev, ...body } = t;
    // Both nodes change the impact, to two different values (whatever the seeded one was).
    const others = ([1, 2, 3] as const).filter((l) => l !== t.impact);
    const [impactA, impactB] = [others[0]!, others[1]!];
    await writeSibling(
      t._id,
      _rev,
      {
        ...body,
        title: 'Edited on node A',
        impact: impactA,
        priority: priorityOf(impactA, t.urgency as Level),
        updatedAt: later(1),
        updatedBy: 'alice',
      },
      'aaaa',
    );
    await writeSibling(
      t._id,
      _rev,
      {
        ...body,
        description: 'Edited on node B',
        impact: impactB,
        priority: priorityOf(impactB, t.urgency as Level),
        updatedAt: later(2),
        updatedBy: 'ben',
      },
      'bbbb',
    );
    const before = await desk.admin.request<Doc & { _conflicts?: string[] }>(
      'GET',
      `${db}/${t._id}?conflicts=true`,
    );
    expect(before._conflicts).toHaveLength(1);

    const resolver = startConflictResolver(desk.admin, PREFIX);
    try {
      expect(await resolver.runOnce()).toBe(1);
    } finally {
      await resolver.stop();
    }

    const after = await desk.admin.request<Doc & { _conflicts?: string[] }>(
      'GET',
      `${db}/${t._id}?conflicts=true`,
    );
    expect(after._conflicts ?? []).toEqual([]);
    expect(after).toMatchObject({
      title: 'Edited on node A',
      description: 'Edited on node B',
      impact: impactB, // the later edit wins the field both changed
      priority: priorityOf(impactB, t.urgency as Level),
    });
    const activity = await desk.admin.request<{ rows: { doc: Record<string, unknown> }[] }>(
      'GET',
      `/${PREFIX}activity/_all_docs?include_docs=true`,
    );
    const records = activity.rows.filter(
      (r) => r.doc.ticketNumber === t._id && r.doc.type === 'conflict',
    );
    expect(records.map((r) => r.doc.data)).toEqual([
      expect.objectContaining({ field: 'impact', kept: impactB, lost: impactA }),
    ]);
  });
});

/**
 * A replica written by an older version of the app (tickets schema v0) opens in this version:
 * documents are migrated, none is lost, and queries on the new index work. Dexie storage over
 * fake-indexeddb; the database code is the product's.
 */
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { openDeskDatabase } from '../../../renderer/src/data/database';
import { ticketSchema } from '../../../renderer/src/data/schemas';
import { createRng } from '../../../server/src/provision/random';
import { demoDirectory } from '../../../server/src/provision/demo-directory';
import { demoTickets } from '../../../server/src/provision/demo-tickets';

describe('replica schema migrations', () => {
  it('migrates tickets stored with schema v0 to the current version, keeping every one', async () => {
    const storage = getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange });
    const rng = createRng(5);
    const dir = demoDirectory(rng);
    const tickets = demoTickets(rng, {
      count: 300,
      days: 10,
      now: Date.now(),
      agents: dir.agents,
      callers: dir.callers,
      cis: dir.cis,
      kb: dir.kb,
    });

    // What the previous release stored: same fields, version 0, no group index.
    const old = await createRxDatabase({ name: 'migrate', storage, multiInstance: false });
    const v0 = {
      ...ticketSchema,
      version: 0,
      indexes: ['updatedAt', ['state', 'priority', 'updatedAt']],
      required: ['number', 'kind', 'title', 'state', 'priority', 'createdAt', 'updatedAt'],
      properties: { ...ticketSchema.properties, groupId: { type: 'string' } },
    };
    await old.addCollections({ tickets: { schema: v0 } });
    await old.tickets!.bulkInsert(tickets);
    await old.close();

    const { db } = await openDeskDatabase('migrate', { storage });
    try {
      expect(db.tickets.schema.version).toBeGreaterThanOrEqual(1);
      expect(await db.tickets.count().exec()).toBe(300);
      const group = String(tickets[0]!.groupId);
      const viaIndex = await db.tickets
        .find({ selector: { groupId: group }, sort: [{ groupId: 'asc' }, { updatedAt: 'desc' }] })
        .exec();
      expect(viaIndex.length).toBe(tickets.filter((t) => t.groupId === group).length);
      const one = await db.tickets.findOne(String(tickets[7]!.number)).exec();
      const {
        _meta: _m,
        _rev: _r,
        _deleted: _d,
        _attachments: _a,
        ...stored
      } = one!.toJSON() as Record<string, unknown>;
      expect(stored).toEqual(tickets[7]);
    } finally {
      await db.close();
    }
  });
});

/**
 * A replica written by an older version of the app (tickets schema v0 or v1) opens in this
 * version: documents are migrated, none is lost, and queries work on the new indexes. Dexie
 * storage over fake-indexeddb; the database code is the product's.
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

/** What earlier releases stored: same fields, other indexes. */
const OLD_SCHEMAS = [
  {
    version: 0,
    indexes: ['updatedAt', ['state', 'priority', 'updatedAt']],
    required: ['number', 'kind', 'title', 'state', 'priority', 'createdAt', 'updatedAt'],
    properties: { ...ticketSchema.properties, groupId: { type: 'string' } },
  },
  {
    version: 1,
    indexes: ['updatedAt', ['state', 'priority', 'updatedAt'], ['groupId', 'updatedAt']],
  },
];

describe('replica schema migrations', () => {
  it.each(OLD_SCHEMAS.map((schema) => [schema.version, schema] as const))(
    'migrates tickets stored with schema v%i to the current version, keeping every one',
    async (_version, before) => {
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

      const old = await createRxDatabase({ name: 'migrate', storage, multiInstance: false });
      const migrationStrategies = Object.fromEntries(
        Array.from({ length: before.version }, (_, i) => [i + 1, (d: unknown) => d]),
      );
      await old.addCollections({
        tickets: { schema: { ...ticketSchema, ...before }, migrationStrategies },
      });
      await old.tickets!.bulkInsert(tickets);
      await old.close();

      const progress: { handled: number; total: number }[] = [];
      const { db } = await openDeskDatabase('migrate', {
        storage,
        onMigration: (p) => progress.push(p),
      });
      try {
        expect(db.tickets.schema.version).toBe(ticketSchema.version);
        expect(db.tickets.schema.version).toBeGreaterThan(before.version);
        expect(await db.tickets.count().exec()).toBe(300);
        // The window was told how the migration went, up to every document.
        expect(progress.length).toBeGreaterThan(0);
        expect(progress.every((p) => p.total === 300)).toBe(true);
        expect(progress.at(-1)?.handled).toBe(300);
        const group = String(tickets[0]!.groupId);
        const inGroup = await db.tickets.find({ selector: { groupId: group } }).exec();
        expect(inGroup.length).toBe(tickets.filter((t) => t.groupId === group).length);
        const newest = await db.tickets
          .find({ selector: {}, sort: [{ updatedAt: 'desc' }], limit: 5 })
          .exec();
        expect(newest.map((d) => d.get('updatedAt') as string)).toEqual(
          tickets
            .map((t) => String(t.updatedAt))
            .sort()
            .reverse()
            .slice(0, 5),
        );
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
    },
  );
});

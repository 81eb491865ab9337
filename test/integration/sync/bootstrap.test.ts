/**
 * The first sync of an empty replica (renderer/src/data/bootstrap.ts) against the real embedded
 * server, on the product's replica (Dexie over fake-indexeddb): the bootstrap fills the replica
 * page by page, then RxDB's replication goes on from where it ended, and whatever cuts it short
 * (a lost network, a closed window, an edit made meanwhile) loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import makeFetchCookie from 'fetch-cookie';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { ensureNotFalsy, getChangedDocumentsSince, getLastCheckpointDoc } from 'rxdb';
import { startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { serverDocs } from '../../support/replica-checks';
import { replicateTickets } from '../../support/replicate-tickets';
import { eventually } from '../../support/eventually';
import { signIn } from '../../../renderer/src/data/session';
import { openDeskDatabase, type DeskDatabase } from '../../../renderer/src/data/database';
import { stillAsPulled } from '../../../renderer/src/data/pull-metadata';
import type { CollectionReplication } from '../../../renderer/src/data/couch-replication';
import type { Fetch } from '../../../renderer/src/data/couch-http';

const TICKETS = 45;
const PAGE = 10;
let desk: TestDesk;
let jar: Fetch;
let dbUrl: string;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: TICKETS });
  jar = makeFetchCookie(fetch);
  await signIn(`${desk.url}/`, 'alice', 'switchboard', jar);
  dbUrl = `${desk.url}/${PREFIX}tickets/`;
});
afterAll(async () => {
  await desk?.stop();
});

/** What one replica sent to the server, and a way to hold or fail its feed reads. */
class Network {
  /** The `since` of every read of the feed (not the live feed's long-polls), in order. */
  readonly reads: string[] = [];
  /** Ids the push asked the server about (`_all_docs` before `_bulk_docs`). */
  readonly offered: string[] = [];
  /** Feed reads (by number, from 0) to hold until released, or to fail once. */
  readonly held = new Map<number, { seen: () => void; released: Promise<void> }>();
  readonly failing = new Set<number>();

  readonly fetch: Fetch = async (url, init) => {
    if (url.includes('/_changes?') && !url.includes('feed=longpoll')) {
      const n = this.reads.length;
      this.reads.push(new URL(url).searchParams.get('since') ?? '');
      if (this.failing.delete(n)) throw new TypeError('fetch failed (network lost in test)');
      const hold = this.held.get(n);
      if (hold) {
        hold.seen();
        await Promise.race([
          hold.released,
          new Promise((_, reject) =>
            init?.signal?.addEventListener('abort', () =>
              reject(new DOMException('aborted', 'AbortError')),
            ),
          ),
        ]);
      }
    }
    if (url.includes('/_all_docs?include_docs=true') && init?.method === 'POST')
      this.offered.push(...(JSON.parse(init.body as string) as { keys: string[] }).keys);
    return jar(url, init);
  };

  /** Holds feed read `n`; resolves once it has arrived, with the function that releases it. */
  hold(n: number): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    return new Promise((arrived) => this.held.set(n, { seen: () => arrived(release), released }));
  }
}

type Session = { db: DeskDatabase; replication: CollectionReplication; net: Network };

async function start(
  indexedDB: IDBFactory,
  name: string,
  net = new Network(),
  bootstrap = true,
): Promise<Session> {
  const { db } = await openDeskDatabase(name, {
    storage: getRxStorageDexie({ indexedDB, IDBKeyRange }),
  });
  const replication = replicateTickets(db, dbUrl, net.fetch, PAGE, { bootstrap });
  return { db, replication, net };
}

async function stop(s: Session): Promise<void> {
  await s.replication.stop();
  await s.db.close();
}

/** The server's ticket numbers, sorted. */
async function serverNumbers(): Promise<string[]> {
  return [...(await serverDocs(desk, 'tickets')).keys()].sort();
}

async function localNumbers(db: DeskDatabase): Promise<string[]> {
  return (await db.tickets.find().exec()).map((d) => String(d.get('number'))).sort();
}

async function editOnServer(n: string, fields: Record<string, unknown>): Promise<void> {
  const doc = await desk.admin.request<Record<string, unknown>>('GET', `/${PREFIX}tickets/${n}`);
  await desk.admin.request('PUT', `/${PREFIX}tickets/${n}`, { ...doc, ...fields });
}

async function serverTitle(n: string): Promise<unknown> {
  return (await desk.admin.request<{ title: unknown }>('GET', `/${PREFIX}tickets/${n}`)).title;
}

describe('the bootstrap of an empty replica', { timeout: 60_000 }, () => {
  it("fills the replica, and RxDB's replication goes on from where it ended", async () => {
    const s = await start(new IDBFactory(), 'bootstrap-fills');
    try {
      await s.replication.state.awaitInitialReplication();
      await s.replication.state.awaitInSync();
      const numbers = await serverNumbers();
      expect(await localNumbers(s.db)).toEqual(numbers);
      // Every ticket as pulled, with no record of the server's version stored.
      expect((await stillAsPulled(s.db.tickets, 'number', numbers)).size).toBe(numbers.length);
      const internal = ensureNotFalsy(s.replication.state.internalReplicationState);
      const meta = ensureNotFalsy(s.replication.state.metaInstance);
      const records = (await getChangedDocumentsSince(meta, 10_000)).documents;
      expect(records.filter((r) => r.isCheckpoint === '0')).toEqual([]);
      // The feed was read from the start once: RxDB's pull started from the bootstrap's end.
      expect(s.net.reads.filter((since) => since === '0')).toHaveLength(1);
      expect(await getLastCheckpointDoc(internal, 'down')).toBeDefined();
      // Nothing was offered to the server, and the push has nothing left to read.
      expect(s.net.offered).toEqual([]);
      const up = await getLastCheckpointDoc(internal, 'up');
      expect(up).toBeDefined();
      expect(
        (await getChangedDocumentsSince(s.db.tickets.storageInstance, 100, up)).documents,
      ).toHaveLength(0);

      // Live both ways afterwards.
      const [first, second] = numbers;
      await editOnServer(first!, { title: 'Changed on the server after the bootstrap' });
      await eventually(async () =>
        expect((await s.db.tickets.findOne(first).exec())?.get('title')).toBe(
          'Changed on the server after the bootstrap',
        ),
      );
      const doc = ensureNotFalsy(await s.db.tickets.findOne(second).exec());
      // An edit names its writer (the server refuses a change under the stored name).
      await doc.incrementalPatch({
        title: 'Changed on this device after the bootstrap',
        updatedBy: 'alice',
        updatedAt: new Date().toISOString(),
      });
      await eventually(async () =>
        expect(await serverTitle(second!)).toBe('Changed on this device after the bootstrap'),
      );
      expect(s.net.offered).toEqual([second]);
    } finally {
      await stop(s);
    }
  });

  it('pushes an edit made on this device while the bootstrap was under way', async () => {
    const net = new Network();
    const third = net.hold(2);
    const s = await start(new IDBFactory(), 'bootstrap-edit', net);
    try {
      const release = await third;
      // Some pages are in: edit one of their tickets before the rest arrives.
      await eventually(async () => expect((await localNumbers(s.db)).length).toBeGreaterThan(0));
      const [n] = await localNumbers(s.db);
      const doc = ensureNotFalsy(await s.db.tickets.findOne(n).exec());
      await doc.incrementalPatch({
        title: 'Edited during the first sync',
        updatedBy: 'alice',
        updatedAt: new Date().toISOString(),
      });
      release();
      await s.replication.state.awaitInitialReplication();
      await eventually(
        async () => expect(await serverTitle(n!)).toBe('Edited during the first sync'),
        {
          timeoutMs: 20_000,
        },
      );
      expect(await localNumbers(s.db)).toEqual(await serverNumbers());
      // Only the edit was sent: the rest was acknowledged as pulled.
      await s.replication.state.awaitInSync();
      expect(net.offered).toEqual([n]);
    } finally {
      await stop(s);
    }
  });

  it('leaves a ticket deleted on the server while it ran to RxDB, which removes it', async () => {
    const net = new Network();
    const third = net.hold(2);
    const s = await start(new IDBFactory(), 'bootstrap-deleted', net);
    try {
      const release = await third;
      await eventually(async () => expect((await localNumbers(s.db)).length).toBeGreaterThan(0));
      const [gone] = await localNumbers(s.db);
      const doc = await desk.admin.request<{ _rev: string }>('GET', `/${PREFIX}tickets/${gone!}`);
      await desk.admin.request('DELETE', `/${PREFIX}tickets/${gone!}?rev=${doc._rev}`);
      release();
      await s.replication.state.awaitInitialReplication();
      await s.replication.state.awaitInSync();
      const numbers = await serverNumbers();
      expect(numbers).not.toContain(gone);
      expect(await localNumbers(s.db)).toEqual(numbers);
      expect(net.offered).toEqual([]);
    } finally {
      await stop(s);
    }
  });

  it("goes on from the last page written when the network drops, with RxDB's pull", async () => {
    const net = new Network();
    net.failing.add(3);
    const s = await start(new IDBFactory(), 'bootstrap-network', net);
    try {
      await eventually(
        async () => expect(await localNumbers(s.db)).toEqual(await serverNumbers()),
        {
          timeoutMs: 20_000,
        },
      );
      // Three pages from the bootstrap; the failed read, then RxDB's pull again from the
      // third page's end, not from the start.
      expect(net.reads.filter((since) => since === '0')).toHaveLength(1);
      expect(net.reads[4]).toBe(net.reads[3]);
      await s.replication.state.awaitInSync();
      expect(net.offered).toEqual([]);
    } finally {
      await stop(s);
    }
  });

  it('leaves a replica that the next start completes when the window closes mid-way', async () => {
    const indexedDB = new IDBFactory();
    const net = new Network();
    const third = net.hold(2);
    const first = await start(indexedDB, 'bootstrap-closed', net);
    await third;
    await eventually(async () => expect((await localNumbers(first.db)).length).toBeGreaterThan(0));
    const partial = await localNumbers(first.db);
    expect(partial.length).toBeLessThan((await serverNumbers()).length);
    // Closing aborts the held read; no checkpoint was stored.
    await stop(first);

    const again = new Network();
    const second = await start(indexedDB, 'bootstrap-closed', again);
    try {
      await second.replication.state.awaitInitialReplication();
      await second.replication.state.awaitInSync();
      expect(await localNumbers(second.db)).toEqual(await serverNumbers());
      // Not empty: RxDB's pull read the feed from the start, and pushed nothing back.
      expect(again.reads[0]).toBe('0');
      expect(again.offered).toEqual([]);
      // Server changes still reach the tickets the first session wrote.
      await editOnServer(partial[0]!, { title: 'Changed on the server after the restart' });
      await eventually(async () =>
        expect((await second.db.tickets.findOne(partial[0]).exec())?.get('title')).toBe(
          'Changed on the server after the restart',
        ),
      );
    } finally {
      await stop(second);
    }
  });
});

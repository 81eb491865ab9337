/**
 * What the replica keeps about pulled tickets (renderer/src/data/pull-metadata.ts), against the
 * real embedded server: a cold sync stores no second copy of each ticket (RxDB's record of the
 * server's version), yet a local edit still merges three-way against the version it started
 * from, and server changes keep arriving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import makeFetchCookie from 'fetch-cookie';
import { ensureNotFalsy, getChangedDocumentsSince } from 'rxdb';
import { startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { eventually } from '../../support/eventually';
import { serverDocs } from '../../support/replica-checks';
import { storageWithWriteFaults } from '../../support/write-faults';
import { replicateTickets } from '../../support/replicate-tickets';
import { signIn } from '../../../renderer/src/data/session';
import { openDeskDatabase, type OpenReplica } from '../../../renderer/src/data/database';
import type { CollectionReplication } from '../../../renderer/src/data/couch-replication';
import { getTicket, updateTicket } from '../../../renderer/src/data/tickets-repo';
import type { Fetch } from '../../../renderer/src/data/couch-http';
import type { FieldConflict } from '../../../shared/domain';

const TICKETS = 40;
let desk: TestDesk;
let replica: OpenReplica;
let replication: CollectionReplication;
let online = true;
const conflicts: FieldConflict[] = [];
/** Ids the push asked the server about (`_all_docs` before `_bulk_docs`). */
const offeredToServer: string[] = [];
/** Long-polls of the live feed so far (each follows the signal of the one before). */
let longPolls = 0;

/** A request held until released: `seen` resolves when it arrives. */
type Hold = {
  readonly match: (url: string, init?: RequestInit) => boolean;
  readonly hold: () => Promise<void>;
  readonly seen: Promise<void>;
  readonly release: () => void;
};
const holds: Hold[] = [];
/** Held writes of the record a local edit keeps (taken in order). */
const recordWrites: Hold[] = [];
function holdNext(match: Hold['match'], queue: Hold[] = holds): Hold {
  let arrived!: () => void;
  let release!: () => void;
  const seen = new Promise<void>((r) => (arrived = r));
  const released = new Promise<void>((r) => (release = r));
  const h: Hold = {
    match,
    seen,
    release,
    hold: () => {
      arrived();
      return released;
    },
  };
  queue.push(h);
  return h;
}

beforeAll(async () => {
  desk = await startTestDesk({ tickets: TICKETS });
  replica = await openDeskDatabase('pull-metadata', {
    // Writes of the server's version kept before a local edit can be held (see the race below).
    storage: storageWithWriteFaults(new IDBFactory(), (_collection, context) =>
      context === 'switchboard-keep-server-version' ? recordWrites.shift()?.hold() : undefined,
    ),
  });
  replica.conflicts.sink = (_n, c) => conflicts.push(...c);
  const jar = makeFetchCookie(fetch) as unknown as Fetch;
  const net: Fetch = async (url, init) => {
    if (!online) throw new TypeError('fetch failed (offline in test)');
    if (url.includes('feed=longpoll')) longPolls += 1;
    if (url.includes('/_all_docs?include_docs=true') && init?.method === 'POST')
      offeredToServer.push(...(JSON.parse(init.body as string) as { keys: string[] }).keys);
    const held = holds.findIndex((h) => h.match(url, init));
    if (held >= 0) await holds.splice(held, 1)[0]?.hold();
    return jar(url, init);
  };
  const base = `${desk.url}/`;
  await signIn(base, 'alice', 'switchboard', jar);
  // RxDB's own pull from the start: what every pull after the first sync goes through (the
  // bootstrap of an empty replica writes no records at all: see bootstrap.test.ts).
  replication = replicateTickets(replica.db, `${base}${PREFIX}tickets/`, net, 15, {
    bootstrap: false,
  });
  await replication.state.awaitInitialReplication();
  await replication.state.awaitInSync();
});
afterAll(async () => {
  await replication?.stop();
  await replica?.db.close();
  await desk?.stop();
});

/** RxDB's records of the server's version (not its checkpoints), by ticket number. */
async function records(): Promise<Map<string, Record<string, unknown>>> {
  const meta = ensureNotFalsy(replication.state.metaInstance);
  const all = await getChangedDocumentsSince(meta, 10_000);
  return new Map(
    all.documents
      .filter((d) => d.isCheckpoint === '0')
      .map((d) => [d.itemId, d.docData as Record<string, unknown>]),
  );
}

async function serverTicket(n: string): Promise<Record<string, unknown>> {
  return desk.admin.request('GET', `/${PREFIX}tickets/${n}`);
}

describe('pull metadata', { timeout: 60_000 }, () => {
  it('stores no second copy of the tickets a cold sync pulled, and marks each one', async () => {
    const local = await replica.db.tickets.find().exec();
    expect(local).toHaveLength(TICKETS);
    expect((await records()).size).toBe(0);
    for (const d of local) expect(d.toJSON(true)._meta).toHaveProperty('o');
  });

  it('merges a local edit against the version it started from', async () => {
    const [n] = [...(await serverDocs(desk, 'tickets')).keys()].sort();
    if (!n) throw new Error('no tickets');
    const pulled = ensureNotFalsy(await getTicket(replica.db, n));

    online = false;
    await updateTicket(replica.db, n, { title: 'Edited offline on this device' }, 'alice');
    // The server's version as pulled is kept as the merge base, before the edit is written.
    expect((await records()).get(n)).toMatchObject({ title: pulled.title });
    const onServer = await serverTicket(n);
    await desk.admin.request('PUT', `/${PREFIX}tickets/${n}`, {
      ...onServer,
      description: 'Edited on the server meanwhile',
    });

    online = true;
    replication.resync();
    await eventually(
      async () => {
        const server = await serverTicket(n);
        expect(server).toMatchObject({
          title: 'Edited offline on this device',
          description: 'Edited on the server meanwhile',
        });
        expect(await getTicket(replica.db, n)).toMatchObject({
          title: 'Edited offline on this device',
          description: 'Edited on the server meanwhile',
        });
      },
      { timeoutMs: 20_000 },
    );
    // Two different fields: a clean three-way merge, no conflict to record.
    expect(conflicts).toEqual([]);
  });

  it('never pushes a pulled ticket that RxDB re-reads after its checkpoint fell behind', async () => {
    // RxDB's push handles a resync that arrives while it is busy before the pull's write that
    // came earlier, and drops that write's checkpoint: its next pass re-reads the pulled ticket,
    // which has no record of the server's version, and offers it for pushing. (RxDB holds the
    // pull while a push runs, so C itself arrives only after the push.)
    const numbers = [...(await serverDocs(desk, 'tickets')).keys()].sort().reverse();
    const [a, b, c] = numbers;
    if (!a || !b || !c) throw new Error('not enough tickets');
    const title = async (n: string) => (await getTicket(replica.db, n))?.title;
    const editOnServer = async (n: string, t: string) =>
      desk.admin.request('PUT', `/${PREFIX}tickets/${n}`, { ...(await serverTicket(n)), title: t });

    const pull = holdNext((url) => url.includes('include_docs=true&conflicts=true'));
    await editOnServer(b, 'B changed on the server');
    await pull.seen;
    const push = holdNext((url, init) => url.includes('/_all_docs') && init?.method === 'POST');
    await updateTicket(replica.db, a, { title: 'A edited on this device' }, 'alice');
    await push.seen;
    const offeredBefore = offeredToServer.length;
    pull.release();
    await eventually(async () => expect(await title(b)).toBe('B changed on the server'));
    const polled = longPolls;
    await editOnServer(c, 'C changed on the server');
    // The feed signals C (a resync for the push, which is busy) before its next long-poll.
    await eventually(() => expect(longPolls).toBeGreaterThanOrEqual(polled + 2));
    push.release();
    await eventually(async () => expect(await title(c)).toBe('C changed on the server'), {
      timeoutMs: 20_000,
    });

    await eventually(
      async () => expect((await serverTicket(a)).title).toBe('A edited on this device'),
      { timeoutMs: 20_000 },
    );
    await replication.state.awaitInSync();
    expect(offeredToServer.slice(offeredBefore)).not.toContain(b);
    expect(offeredToServer.slice(offeredBefore)).not.toContain(c);
    expect((await serverTicket(b)).title).toBe('B changed on the server');
  });

  it('merges an edit that raced a pull against the version it was applied to', async () => {
    // The edit reads the ticket as pulled (P) and finds no record; the pull then writes the
    // server's newer version (S2); the edit keeps P as its record, fails on the newer version and
    // RxDB applies it again on S2. Its base must be S2: with P, a later server change to a field
    // the edit never touched looks like a conflict between the device and the server.
    const numbers = [...(await serverDocs(desk, 'tickets')).keys()].sort();
    const x = numbers[Math.floor(numbers.length / 2)];
    if (!x) throw new Error('no tickets');
    const description = async () => (await getTicket(replica.db, x))?.description;
    const editOnServer = async (d: string) =>
      desk.admin.request('PUT', `/${PREFIX}tickets/${x}`, {
        ...(await serverTicket(x)),
        description: d,
      });
    const conflictsBefore = conflicts.length;

    const pull = holdNext((url) => url.includes('include_docs=true&conflicts=true'));
    await editOnServer('S2 on the server');
    await pull.seen;
    const record = holdNext(() => true, recordWrites);
    const edit = updateTicket(replica.db, x, { title: 'Raced a pull' }, 'alice');
    await record.seen;
    pull.release();
    await eventually(async () => expect(await description()).toBe('S2 on the server'));
    const push = holdNext((url, init) => url.includes('/_all_docs') && init?.method === 'POST');
    record.release();
    await edit;
    await push.seen;
    await editOnServer('S3 on the server');
    push.release();

    await eventually(
      async () => {
        expect(await serverTicket(x)).toMatchObject({
          title: 'Raced a pull',
          description: 'S3 on the server',
        });
        expect(await getTicket(replica.db, x)).toMatchObject({
          title: 'Raced a pull',
          description: 'S3 on the server',
        });
      },
      { timeoutMs: 20_000 },
    );
    expect(conflicts.slice(conflictsBefore)).toEqual([]);
  });

  it('takes server changes to tickets it never stored a record for', async () => {
    const before = await records();
    const n = [...(await serverDocs(desk, 'tickets')).keys()].sort().find((k) => !before.has(k));
    if (!n) throw new Error('every ticket has a record');
    const onServer = await serverTicket(n);
    await desk.admin.request('PUT', `/${PREFIX}tickets/${n}`, {
      ...onServer,
      title: 'Changed on the server',
    });
    await eventually(
      async () => {
        expect(await getTicket(replica.db, n)).toMatchObject({ title: 'Changed on the server' });
      },
      { timeoutMs: 20_000 },
    );
  });
});

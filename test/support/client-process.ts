/**
 * One client device in its own Node process (forked by remote-client.ts): the product's data
 * layer over fake-indexeddb against a real server, driven by messages. Separate processes are
 * separate devices — and each stays within RxDB open-core's limit of open collections per
 * JavaScript realm.
 */
import { startNodeClient, type NodeClient } from './node-client';
import { localDocs } from './replica-checks';
import { addActivity, moveTicket, updateTicket } from '../../renderer/src/data/tickets-repo';
import type { TestDesk } from './desk-server';

type Call = { id: number; op: string; args: unknown[] };
let client: NodeClient | undefined;

const ops: Record<string, (...args: never[]) => Promise<unknown>> = {
  start: async (url: string, user: string) => {
    client = await startNodeClient({ url } as TestDesk, user);
    return { name: client.name, session: client.session };
  },
  setOnline: (online: boolean) => Promise.resolve(client!.setOnline(online)),
  settled: (ms: number) => client!.settled(ms),
  syncNow: () => Promise.resolve(client!.ws.sync.syncNow()),
  localDocs: async (collection: 'tickets' | 'activity' | 'directory') => [
    ...(await localDocs(client!, collection)).entries(),
  ],
  count: (collection: 'outbox' | 'rejections' | 'quarantine') =>
    client!.ws.db[collection].count().exec(),
  rejections: async () =>
    (await client!.ws.db.rejections.find().exec()).map((r) => ({
      docId: String(r.get('docId')),
      reason: String(r.get('reason')),
    })),
  updateTicket: (number: string, patch: object, actor: string) =>
    updateTicket(client!.ws.db, number, patch, actor),
  moveTicket: (number: string, to: string, input: object, actor: string) =>
    moveTicket(client!.ws.db, number, to, input, actor),
  addActivity: (entry: Parameters<typeof addActivity>[1]) => addActivity(client!.ws.db, entry),
  close: async () => {
    await client?.close();
    client = undefined;
  },
};

process.on('message', (msg: Call) => {
  const op = ops[msg.op];
  const run = op
    ? (op as (...a: unknown[]) => Promise<unknown>)(...msg.args)
    : Promise.reject(new Error(`unknown op ${msg.op}`));
  run.then(
    (value) => process.send?.({ id: msg.id, ok: true, value }),
    (err: unknown) =>
      process.send?.({
        id: msg.id,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      }),
  );
});
process.send?.({ ready: true });

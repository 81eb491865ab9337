/**
 * The renderer's bridge to the desktop shell, on a real replica synced with the real embedded
 * server: a change arriving from the server becomes a notification event and tray counts; shell
 * requests (sync now, notification click, deep link) reach the console. The shell is a recording
 * DeskApi (the Electron side is unit-tested in test/unit/electron).
 */
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREFIX, startTestDesk, type TestDesk } from '../../support/desk-server';
import { startNodeClient, type NodeClient } from '../../support/node-client';
import { eventually } from '../../support/eventually';
import { startDesktopBridge } from '../../../renderer/src/data/desktop-bridge';
import { updateTicket } from '../../../renderer/src/data/tickets-repo';
import type { DeskApi, EventChannel } from '../../../shared/ipc/contract';

let desk: TestDesk;
let alice: NodeClient;
const sent: { channel: string; payload: unknown }[] = [];
const invoked: { channel: string; payload: unknown }[] = [];
const listeners = new Map<string, (p: unknown) => void>();
const opened: string[] = [];
const created: string[] = [];
let stop: () => void;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 80 });
  alice = await startNodeClient(desk, 'alice');
  const fakeDesk = {
    invoke: (channel: string, payload: unknown) => {
      invoked.push({ channel, payload });
      return Promise.resolve(undefined);
    },
    on: (channel: EventChannel, l: (p: unknown) => void) => {
      listeners.set(channel, l);
      return () => listeners.delete(channel);
    },
    send: (channel: string, payload: unknown) => sent.push({ channel, payload }),
  } as unknown as DeskApi;
  stop = startDesktopBridge({
    db: alice.ws.db,
    sync: alice.ws.sync,
    user: 'alice',
    desk: fakeDesk,
    onOpenTicket: (n) => opened.push(n),
    onNewTicket: (k) => created.push(k),
    tickMs: 500,
  });
  await alice.settled();
});
afterAll(async () => {
  stop?.();
  await alice?.close();
  await desk?.stop();
});

describe('desktop bridge', () => {
  it('reports the sync status and tray counts', async () => {
    await eventually(() =>
      expect(invoked).toContainEqual({
        channel: 'sync:report-status',
        payload: { state: 'in-sync' },
      }),
    );
    await eventually(() => expect(sent.some((s) => s.channel === 'tray:report-counts')).toBe(true));
  });

  it('turns an assignment made on the server into an "assigned to me" event', async () => {
    const all = await desk.admin.request<{ rows: { id: string; doc: Record<string, unknown> }[] }>(
      'GET',
      `/${PREFIX}tickets/_all_docs?include_docs=true`,
    );
    const t = all.rows.find(
      (r) =>
        r.doc.kind === 'incident' && r.doc.state === 'in-progress' && r.doc.assigneeId !== 'alice',
    )!.doc;
    await desk.admin.request('PUT', `/${PREFIX}tickets/${String(t._id)}`, {
      ...t,
      assigneeId: 'alice',
      updatedAt: new Date().toISOString(),
      updatedBy: 'ben',
    });
    await eventually(() => {
      const events = sent
        .filter((s) => s.channel === 'notifications:report-events')
        .flatMap((s) => s.payload as { type: string; ticketNumber: string }[]);
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'assigned-to-me', ticketNumber: t._id }),
      );
    });
    await eventually(() => {
      const counts = sent.filter((s) => s.channel === 'tray:report-counts').at(-1)?.payload as {
        myOpen: number;
      };
      expect(counts.myOpen).toBeGreaterThanOrEqual(1);
    });
  });

  it('routes shell requests: notification clicks, deep links (hostile ones ignored)', () => {
    listeners.get('notifications:clicked')?.({ ticketNumber: 'INC-000000000001' });
    listeners.get('deeplink:opened')?.({ url: 'switchboard://ticket/INC-000000000002' });
    listeners.get('deeplink:opened')?.({ url: 'switchboard://new/change' });
    listeners.get('deeplink:opened')?.({ url: 'javascript:alert(1)' });
    expect(opened).toEqual(['INC-000000000001', 'INC-000000000002']);
    expect(created).toEqual(['change']);
  });

  it('works offline on the tray toggle: nothing leaves the device until it is turned off', async () => {
    listeners.get('sync:work-offline-changed')?.({ offline: true });
    await eventually(async () => {
      const v = await firstValueFrom(alice.ws.sync.view$);
      expect(v.status.state).toBe('offline');
    });
    const local = (await alice.ws.db.tickets.find().exec())
      .map((d) => d.toJSON() as { number: string; state: string; kind: string; groupId: string })
      .find((t) => t.kind === 'incident' && (t.state === 'in-progress' || t.state === 'new'))!;
    await updateTicket(
      alice.ws.db,
      local.number,
      { title: 'Typed while working offline' },
      'alice',
    );
    await new Promise((r) => setTimeout(r, 3_000));
    const onServer = await desk.admin.request<{ title: string }>(
      'GET',
      `/${PREFIX}tickets/${local.number}`,
    );
    expect(onServer.title).not.toBe('Typed while working offline');
    listeners.get('sync:work-offline-changed')?.({ offline: false });
    await alice.settled();
    const after = await desk.admin.request<{ title: string }>(
      'GET',
      `/${PREFIX}tickets/${local.number}`,
    );
    expect(after.title).toBe('Typed while working offline');
  });
});

/**
 * field-day: a technician's day of offline work reaching the server when the network is back:
 * 50 work orders moved on site → work done, 4 checklist ticks, a time entry and a part each, and
 * 150 photos of 500 KB. Through the product's data layer (the renderer's workspace, RxDB over
 * fake-indexeddb in Node, the attachments outbox) against the real embedded server, from "back
 * online" to nothing pending. Anchor: the same documents sent by hand in the same process
 * (one `_bulk_docs` per database, then one PUT per photo document and one per file).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom, filter, timeout } from 'rxjs';
import { startTestDesk, PREFIX, asUser } from '../../support/desk-server';
import { startNodeClient } from '../../support/node-client';
import { addActivity, setFieldStatus } from '../../../renderer/src/data/tickets-repo';
import { createTicket, newTicketNumber, transition, type Ticket } from '../../../shared/domain';
import type { BenchOptions, Figure, Scenario } from '../types';

const PHOTO_BYTES = 500 * 1024;

function workOrder(i: number, now: number): Ticket {
  const number = newTicketNumber('workorder', {
    // One second apart: numbers made in one second on one device differ only by 15 random bits,
    // so 50 of them collide about once in 27 runs (the product re-draws; this bench did not).
    now: now - i * 1000,
    deviceId: 'bench',
    random: Math.random,
  });
  const r = createTicket(
    {
      kind: 'workorder',
      title: `Bench site visit ${i}`,
      description: '',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'hardware',
      impact: 3,
      urgency: 3,
      groupId: 'group:field',
      assigneeId: 'tara',
    },
    { now: new Date(now - 3600_000).toISOString(), actor: 'sam', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  const s = transition(
    r.value,
    'in-progress',
    {},
    { now: new Date(now - 3000_000).toISOString(), actor: 'sam' },
  );
  if (!s.ok) throw new Error(s.error.message);
  return {
    ...s.ticket,
    workorder: {
      fieldStatus: 'scheduled',
      site: `Site ${i}`,
      contactId: null,
      scheduledFor: null,
      checklist: ['a', 'b', 'c', 'd'].map((id) => ({ id, label: `Step ${id}`, required: true })),
    },
  };
}

function photo(seed: number): Blob {
  const bytes = new Uint8Array(PHOTO_BYTES);
  let x = seed * 7919 + 1;
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x & 0xff;
  }
  // A JPEG header, so the type is honest; Node has no image decoder, so nothing is recompressed.
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return new Blob([bytes], { type: 'image/jpeg' });
}

async function run(o: BenchOptions): Promise<Figure[]> {
  const orders = o.quick ? 10 : 50;
  const photosPer = 3;
  const desk = await startTestDesk();
  try {
    const now = Date.now();
    const sam = asUser(desk, 'sam');
    const wos = Array.from({ length: orders }, (_, i) => workOrder(i, now));
    await sam.request('POST', `/${PREFIX}tickets/_bulk_docs`, {
      docs: wos.map(({ number, ...rest }) => ({ _id: number, ...rest })),
    });
    const tara = await startNodeClient(desk, 'tara');
    try {
      await tara.settled(120_000);
      tara.ws.sync.setWorkOffline(true);
      // The day, offline.
      for (const [i, wo] of wos.entries()) {
        const n = wo.number;
        await setFieldStatus(tara.ws.db, n, 'on-site', 'tara', null);
        for (const id of ['a', 'b', 'c', 'd'])
          await addActivity(tara.ws.db, {
            ticketNumber: n,
            type: 'checklist-tick',
            by: 'tara',
            body: '',
            data: { itemId: id, done: true },
          });
        await addActivity(tara.ws.db, {
          ticketNumber: n,
          type: 'time-entry',
          by: 'tara',
          body: '',
          data: {
            startedAt: new Date(now - 3600_000).toISOString(),
            endedAt: new Date(now - 1800_000).toISOString(),
            minutes: 30,
            note: '',
          },
        });
        await addActivity(tara.ws.db, {
          ticketNumber: n,
          type: 'part',
          by: 'tara',
          body: '',
          data: { partNo: 'P', name: 'Part', qty: 1 },
        });
        for (let p = 0; p < photosPer; p++) {
          const info = await tara.ws.files.add(n, photo(i * 10 + p), `photo-${p}.jpg`, 'tara');
          await addActivity(tara.ws.db, {
            ticketNumber: n,
            type: 'attachment',
            by: 'tara',
            body: '',
            data: { fileId: info.id, name: info.name, type: info.type, size: info.size },
          });
        }
        await setFieldStatus(tara.ws.db, n, 'work-done', 'tara', null);
      }
      // Back online: until every record and every file is on the server.
      const t0 = performance.now();
      tara.ws.sync.setWorkOffline(false);
      await tara.settled(30 * 60_000);
      await firstValueFrom(
        tara.ws.files.files$.pipe(
          filter(
            (fs) => fs.length === orders * photosPer && fs.every((f) => f.state === 'uploaded'),
          ),
          timeout(30 * 60_000),
        ),
      );
      const productS = (performance.now() - t0) / 1000;

      // Anchor: the same amount of data sent by hand.
      const acts = wos.flatMap((wo) =>
        Array.from({ length: 6 + photosPer }, (_, k) => ({
          _id: `${wo.number}:anchor:${k}`,
          ticketNumber: wo.number,
          type: 'work-note',
          at: new Date().toISOString(),
          by: 'tara',
          schemaVersion: 1,
          body: `anchor ${k}`,
          data: {},
        })),
      );
      const a0 = performance.now();
      await sam.request('POST', `/${PREFIX}activity/_bulk_docs`, {
        docs: acts.map((a) => ({ ...a, by: 'sam' })),
      });
      for (const [i, wo] of wos.entries())
        for (let p = 0; p < photosPer; p++) {
          const id = `${wo.number}:anchor-photo:${p}`;
          const meta = {
            ticketNumber: wo.number,
            name: `a-${p}.jpg`,
            type: 'image/jpeg',
            size: PHOTO_BYTES,
            by: 'sam',
            at: new Date().toISOString(),
          };
          const r = await sam.request<{ rev: string }>(
            'PUT',
            `/${PREFIX}attachments/${encodeURIComponent(id)}`,
            meta,
          );
          const res = await fetch(
            `${desk.url}/${PREFIX}attachments/${encodeURIComponent(id)}/data?rev=${r.rev}`,
            {
              method: 'PUT',
              body: photo(1000 + i * 10 + p),
              headers: {
                'content-type': 'image/jpeg',
                authorization: `Basic ${Buffer.from('sam:switchboard').toString('base64')}`,
              },
            },
          );
          if (!res.ok) throw new Error(`anchor upload: HTTP ${res.status}`);
        }
      const anchorS = (performance.now() - a0) / 1000;
      await sleep(100);
      return [
        {
          name: `day of field work synced (${orders} work orders, ${orders * photosPer} photos of 500 KB)`,
          value: productS,
          unit: 's',
          anchor: { name: 'same data sent by hand (_bulk_docs + PUTs)', value: anchorS },
        },
      ];
    } finally {
      await tara.close();
    }
  } finally {
    await desk.stop();
  }
}

export const fieldDay: Scenario = { name: 'field-day', run };

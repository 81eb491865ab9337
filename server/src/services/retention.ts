/**
 * Retention of desk services' finished work in the services database: `done:<h>` records of
 * mail sent, failed or bounced, and `staff-result:<id>` answers with their `staff-request:<id>`,
 * are deleted once older than the retention (SWITCHBOARD_SERVICES_RETENTION_DAYS, 30 by
 * default), so the database does not grow with the desk's history. Audit records (`audit:<id>`),
 * thread and inbound records stay.
 * Exactly once still holds: `done:<h>` is what stops a second send of the same mail, so the
 * queuer never queues a mail about something older than the retention minus a margin
 * (`queueHorizonMs`): by the time a done record can go, nothing would queue its mail again.
 * A staff request goes before its result, so a replay of the feed never finds a request without
 * its claim.
 */
import type { Doc, Store } from './store';
import { newStatus, noteError, sleep, type WorkerStatus } from './worker';
import { createLogger } from '../log';

const log = createLogger('retention');

/** How far back the queuer still mails about a reply, acknowledgement or resolution. */
export function queueHorizonMs(retentionMs: number): number {
  return retentionMs - Math.min(retentionMs / 4, 3_600_000);
}

type Finished = Doc & { at?: unknown; state?: unknown };

/** Deletes the finished work older than `retentionMs` before `now`; returns how much. */
export async function purgeOnce(
  store: Store,
  retentionMs: number,
  now: number = Date.now(),
): Promise<{ done: number; staff: number }> {
  const services = store.db('services');
  const cutoff = now - retentionMs;
  const old = (d: Finished) => typeof d.at === 'string' && Date.parse(d.at) < cutoff;
  const remove = async (id: string, rev: string | undefined): Promise<boolean> => {
    if (!rev) return false;
    const r = await store.couch.tryRequest(
      'DELETE',
      `/${encodeURIComponent(services)}/${encodeURIComponent(id)}?rev=${encodeURIComponent(rev)}`,
    );
    // 404/409: another instance purged it first.
    return r.status === 200 || r.status === 202;
  };
  let done = 0;
  for (const d of await store.byPrefix<Finished>(services, 'done:'))
    if (old(d) && (await remove(d._id, d._rev))) done += 1;
  let staff = 0;
  for (const r of await store.byPrefix<Finished>(services, 'staff-result:')) {
    if (!old(r) || r.state === 'working') continue;
    const id = `staff-request:${r._id.slice('staff-result:'.length)}`;
    const request = await store.get(services, id);
    if (request) await remove(id, request._rev);
    if (await remove(r._id, r._rev)) staff += 1;
  }
  return { done, staff };
}

/** Purges every `everyMs` until `signal` aborts. */
export function startRetention(
  store: Store,
  retentionMs: number,
  everyMs: number,
  signal: AbortSignal,
): { status: WorkerStatus; done: Promise<void> } {
  const status = newStatus();
  const done = (async () => {
    while (!signal.aborted) {
      try {
        status.doing = 'purging finished work';
        const n = await purgeOnce(store, retentionMs);
        status.done += n.done + n.staff;
        if (n.done + n.staff > 0)
          log.info(`purged ${n.done} done mail records and ${n.staff} staff requests`);
        status.doing = `purging finished work older than ${Math.round(retentionMs / 86_400_000)} days every ${Math.round(everyMs / 60_000)} min`;
      } catch (err) {
        noteError(status, 'purging finished work', err);
      }
      await sleep(everyMs, signal);
    }
  })();
  return { status, done };
}

/**
 * The building blocks every desk services worker shares: a status record (what it does, its
 * backlog, its last error), `_changes` feeds whose checkpoints live in the services database,
 * and claims with leases (a document write; a 409 means another instance has the work).
 */
import type { Doc, Store } from './store';
import { createLogger } from '../log';

const log = createLogger('services');

/** What one worker reports on the status endpoint. */
export type WorkerStatus = {
  doing: string;
  backlog: number;
  done: number;
  lastError: { at: string; message: string } | null;
};

export const newStatus = (): WorkerStatus => ({
  doing: 'starting',
  backlog: 0,
  done: 0,
  lastError: null,
});

/** Records `err` as the worker's last error and logs it. */
export function noteError(status: WorkerStatus, what: string, err: unknown): void {
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
  status.lastError = { at: new Date().toISOString(), message };
  log.warn(message);
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });

type Checkpoint = Doc & { seq: string; startedAt: string };

/**
 * Follows `db`'s changes from the checkpoint `checkpoint:<name>` (first run: from now), calling
 * `onDoc` for each; the checkpoint advances only past changes handled without error, so a crash
 * replays at most one batch (handlers are idempotent: they create documents with derived ids).
 */
export async function followChanges(
  store: Store,
  db: string,
  name: string,
  status: WorkerStatus,
  signal: AbortSignal,
  onDoc: (doc: Doc, startedAt: string) => Promise<void>,
): Promise<void> {
  const services = store.db('services');
  const id = `checkpoint:${name}`;
  let cp: Checkpoint | null = null;
  while (!cp) {
    if (signal.aborted) return;
    try {
      cp = await store.get<Checkpoint>(services, id);
      if (!cp) {
        const info = await store.couch.request<{ update_seq: string | number }>(
          'GET',
          `/${encodeURIComponent(db)}`,
        );
        const first = {
          _id: id,
          seq: String(info.update_seq),
          startedAt: new Date().toISOString(),
        };
        await store.put(services, first);
        cp = await store.get<Checkpoint>(services, id);
      }
    } catch (err) {
      noteError(status, `reading the checkpoint of ${db}`, err);
      await sleep(2_000, signal);
    }
  }
  let since = cp.seq;
  const startedAt = cp.startedAt;
  while (!signal.aborted) {
    try {
      status.doing = `waiting for changes in ${db}`;
      const page = await store.changes(db, since, 10_000, 100);
      if (signal.aborted) return;
      status.backlog = page.results.length;
      for (const r of page.results) {
        if (r.deleted || !r.doc || r.id.startsWith('_design/')) continue;
        status.doing = `handling ${r.id}`;
        await onDoc(r.doc, startedAt);
        status.backlog -= 1;
      }
      status.backlog = 0;
      if (String(page.last_seq) !== since) {
        since = String(page.last_seq);
        await store.upsert(services, { _id: id, seq: since, startedAt });
      }
    } catch (err) {
      noteError(status, `following ${db}`, err);
      await sleep(1_000, signal);
    }
  }
}

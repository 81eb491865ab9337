/**
 * The ticket history of the configuration items a technician's work orders are about. Their
 * device holds only their own work orders, so while online it asks the server's `by_ci` view for
 * those CIs and keeps the answer on the device: the history is there on site, offline, without a
 * manual step. Agents' devices hold every ticket and need none of this.
 */
import { BehaviorSubject, type Observable, type Subscription } from 'rxjs';
import { couchJson, type Fetch } from './couch-http';
import { databaseName } from '../../../shared/sync/databases';
import type { QueueStore } from './queue-store';

/** One earlier ticket about a CI. */
export type CiHistoryItem = {
  readonly number: string;
  readonly title: string;
  readonly kind: string;
  readonly state: string;
  readonly createdAt: string;
};

/** History by CI id, and when it was fetched. */
export type CiHistory = {
  readonly byCi: Readonly<Record<string, readonly CiHistoryItem[]>>;
  readonly fetchedAt: string | null;
};

const EMPTY: CiHistory = { byCi: {}, fetchedAt: null };
/** Most tickets kept per CI. */
const PER_CI = 20;

export type CiHistoryFeed = { readonly history$: Observable<CiHistory>; readonly stop: () => void };

/** Keeps the CI history of `user`'s work orders on the device. */
export function startCiHistory(
  couchUrl: string,
  prefix: string,
  user: string,
  queues: QueueStore,
  opts: {
    readonly connected$: Observable<boolean>;
    readonly fetch?: Fetch;
    readonly storage?: Storage;
  },
): CiHistoryFeed {
  const store = opts.storage ?? (typeof localStorage === 'undefined' ? undefined : localStorage);
  const key = `switchboard.ciHistory:${couchUrl}:${user}`;
  const read = (): CiHistory => {
    try {
      const v = JSON.parse(store?.getItem(key) ?? 'null') as CiHistory | null;
      return v && typeof v.byCi === 'object' ? v : EMPTY;
    } catch {
      return EMPTY;
    }
  };
  const history$ = new BehaviorSubject<CiHistory>(read());
  let connected = false;
  let asked = '';
  const url = `${couchUrl.replace(/\/$/, '')}/${databaseName(prefix, 'tickets')}/_design/switchboard/_view/by_ci`;

  const refresh = async (): Promise<void> => {
    if (!connected) return;
    const cis = [
      ...new Set(
        queues.index
          .filterAll((t) => t.kind === 'workorder' && t.assigneeId === user && t.ciId !== null)
          .map((t) => t.ciId as string),
      ),
    ].sort();
    const signature = cis.join('|');
    if (signature === asked || cis.length === 0) return;
    asked = signature;
    try {
      const r = await couchJson<{
        rows: { key: string; id: string; value: Omit<CiHistoryItem, 'number'> }[];
      }>(url, { method: 'POST', body: JSON.stringify({ keys: cis }) }, opts.fetch);
      const byCi: Record<string, CiHistoryItem[]> = {};
      for (const row of r.rows) (byCi[row.key] ??= []).push({ number: row.id, ...row.value });
      for (const k of Object.keys(byCi))
        byCi[k] = byCi[k]!.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, PER_CI);
      const next: CiHistory = { byCi, fetchedAt: new Date().toISOString() };
      store?.setItem(key, JSON.stringify(next));
      history$.next(next);
    } catch {
      asked = ''; // Try again on the next change or reconnection.
    }
  };
  const subs: Subscription[] = [
    opts.connected$.subscribe((c) => {
      connected = c;
      if (c) {
        asked = '';
        void refresh();
      }
    }),
    queues.version$.subscribe(() => void refresh()),
  ];
  return { history$, stop: () => subs.forEach((s) => s.unsubscribe()) };
}

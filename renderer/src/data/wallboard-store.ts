/**
 * The wallboard's live data: every tile computed from the local replica (never by polling the
 * server) whenever the queue index, today's audit trail or presence changes, and every 15 s for
 * time-driven changes (SLA thresholds, rolling windows). Works offline on whatever the replica
 * holds.
 */
import { BehaviorSubject, merge, interval, type Observable, type Subscription } from 'rxjs';
import {
  SlaMemo,
  WallboardSubset,
  computeWallboard,
  wallboardCutoff,
  type Wallboard,
  type WallboardActivity,
} from '../../../shared/wallboard';
import { onlineUsers, type Presence } from '../../../shared/presence/presence';
import type { SlaConfig } from '../../../shared/domain';
import type { DeskDatabase } from './database';
import { observeSlaConfig } from './sla-config';
import type { QueueStore } from './queue-store';

/** One computed board and how long the computation took. */
export type WallboardSnapshot = {
  readonly board: Wallboard;
  readonly computedInMs: number;
};

export type WallboardFeed = {
  readonly snapshot$: Observable<WallboardSnapshot | null>;
  readonly stop: () => void;
};

const AUDIT_TYPES = ['state-change', 'field-change'];
/** Most entries kept on the at-risk and breached lists. */
export const WALLBOARD_LIST_LIMIT = 12;

function localDayStart(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Starts computing the wallboard for a replica. */
export function startWallboard(
  db: DeskDatabase,
  queues: QueueStore,
  presence: Observable<readonly Presence[]>,
  clock: () => number = Date.now,
): WallboardFeed {
  const snapshot$ = new BehaviorSubject<WallboardSnapshot | null>(null);
  // The desk's SLA configuration; a new one starts a new memo (every reading may move).
  let slaConfig: SlaConfig | null = null;
  let memo: SlaMemo | null = null;
  const activity: WallboardActivity[] = [];
  const seen = new Set<string>();
  let reports: readonly Presence[] = [];
  let ready = false;
  // Only the tickets a tile can count, kept current from the tickets' change stream; loaded
  // from the queue index once it has loaded (version 0 is "not loaded yet": no flash of zeros).
  const subset = new WallboardSubset();
  let indexed = false;
  let loadedDay = 0;

  const compute = (): void => {
    if (!ready || !indexed) return;
    const now = clock();
    const dayStartMs = localDayStart(now);
    const t0 = performance.now();
    if (dayStartMs !== loadedDay) {
      // A new day (or the first load): start again from the whole replica.
      subset.load(queues.index.all(), wallboardCutoff(now, dayStartMs));
      loadedDay = dayStartMs;
    }
    const board = computeWallboard(subset.tickets(), {
      now,
      dayStartMs,
      online: onlineUsers(reports, now),
      activity,
      limit: WALLBOARD_LIST_LIMIT,
      slaConfig,
      ...(memo ? { slaOf: memo.at(now) } : {}),
    });
    snapshot$.next({ board, computedInMs: performance.now() - t0 });
  };
  const addEntry = (d: Record<string, unknown>): boolean => {
    const id = String(d.id);
    if (seen.has(id) || !AUDIT_TYPES.includes(String(d.type))) return false;
    seen.add(id);
    activity.push({
      ticketNumber: String(d.ticketNumber),
      type: d.type as WallboardActivity['type'],
      at: String(d.at),
      data: (d.data ?? {}) as WallboardActivity['data'],
    });
    return true;
  };

  const subs: Subscription[] = [];
  void db.activity
    .find({ selector: { type: { $in: AUDIT_TYPES } } })
    .exec()
    .then((docs) => {
      for (const d of docs) addEntry(d.toJSON());
      ready = true;
      compute();
    });
  subs.push(
    observeSlaConfig(db).subscribe((c) => {
      slaConfig = c;
      memo = c ? new SlaMemo(c) : null;
      compute();
    }),
    db.activity.$.subscribe((ev) => {
      if (ev.operation !== 'DELETE' && addEntry(ev.documentData) && ready) compute();
    }),
    presence.subscribe((r) => {
      reports = r;
      compute();
    }),
    queues.version$.subscribe((v) => {
      if (v === 0 || indexed) return;
      indexed = true;
      const now = clock();
      loadedDay = localDayStart(now);
      // Everything applied so far is in the index; what comes after arrives on changes$.
      subset.load(queues.index.all(), wallboardCutoff(now, loadedDay));
      subs.push(
        queues.changes$.subscribe((c) => subset.apply(c, wallboardCutoff(clock(), loadedDay))),
      );
    }),
    merge(queues.version$, interval(15_000)).subscribe(() => compute()),
  );
  return {
    snapshot$,
    stop: () => subs.forEach((s) => s.unsubscribe()),
  };
}

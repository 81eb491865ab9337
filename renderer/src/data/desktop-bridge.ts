/**
 * Connects the replica to the desktop shell: notification events and tray counts computed from
 * the local replica (so they work offline and while the window is hidden), the sync status for
 * the tray, and the shell's requests (sync now, flush, notification clicks, deep links). In the
 * web shell `desk.send` is absent: nothing is reported, so no tickets are watched either (at
 * 100,000 tickets that is a second copy of the replica and an SLA pass every 30 s, for nothing).
 */
import { filter, firstValueFrom } from 'rxjs';
import {
  activityEvents,
  slaEvents,
  ticketEvents,
  trayCounts,
  type Watcher,
} from '../../../shared/notify/detect';
import { parseDeepLink } from '../../../shared/ipc/deep-link';
import {
  MAX_EVENTS_PER_REPORT,
  type DeskApi,
  type DeskEvent,
  type TrayCounts,
} from '../../../shared/ipc/contract';
import type { ActivityEntry, SlaConfig, Ticket, TicketKind } from '../../../shared/domain';
import type { DeskDatabase } from './database';
import { observeSlaConfig } from './sla-config';
import type { SyncController } from './sync';
import { allTickets } from './queue-store';

type Doc = Record<string, unknown>;

export type DesktopBridgeOptions = {
  readonly db: DeskDatabase;
  readonly sync: SyncController;
  readonly user: string;
  readonly desk: DeskApi;
  readonly onOpenTicket: (number: string) => void;
  readonly onNewTicket: (kind: TicketKind) => void;
  /** How often SLA crossings and tray counts are re-checked (ms). */
  readonly tickMs?: number;
  readonly now?: () => number;
};

function plain(d: Doc): Doc {
  const { _meta: _m, _rev: _r, _deleted: _d, _attachments: _a, ...rest } = d;
  return rest;
}

/** Starts the bridge; returns its stop function. */
export function startDesktopBridge(o: DesktopBridgeOptions): () => void {
  const now = o.now ?? Date.now;
  const tickMs = o.tickMs ?? 30_000;
  const tickets = new Map<string, Ticket>();
  const me: { watcher: Watcher } = { watcher: { name: o.user, groupIds: new Set() } };
  let pending: DeskEvent[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let lastCounts = '';
  let lastStatus = '';
  let lastSlaCheck = now();
  let live = false; // no notifications for what the first sync brings in
  let stopped = false;
  let slaConfig: SlaConfig | null = null;
  const unsubs: (() => void)[] = [];

  const report = (events: DeskEvent[]): void => {
    if (!live || events.length === 0 || !o.desk.send) return;
    pending.push(...events);
    flushTimer ??= setTimeout(() => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      for (let i = 0; i < batch.length; i += MAX_EVENTS_PER_REPORT)
        o.desk.send?.('notifications:report-events', batch.slice(i, i + MAX_EVENTS_PER_REPORT));
    }, 1_000);
  };
  const reportCounts = (): void => {
    const counts: TrayCounts = trayCounts(tickets.values(), me.watcher, now(), slaConfig);
    const key = JSON.stringify(counts);
    if (key === lastCounts || !o.desk.send) return;
    lastCounts = key;
    o.desk.send('tray:report-counts', counts);
  };

  /** Keeps `tickets` current and reports from it; returns its stop function. */
  const watchTickets = (): (() => void) => {
    void (async () => {
      const mine = await o.db.directory.findOne(`person:${o.user}`).exec();
      const groups = mine?.get('groupIds') as unknown;
      if (Array.isArray(groups))
        me.watcher = {
          name: o.user,
          groupIds: new Set(groups.filter((g) => typeof g === 'string')),
        };
      // Plain tickets straight from storage (no RxDB document objects for the whole replica).
      for (const t of await allTickets(o.db)) tickets.set(t.number, t);
      if (stopped) return;
      const ticketSub = o.db.tickets.$.subscribe((ev) => {
        const after =
          ev.operation === 'DELETE' ? null : (plain(ev.documentData) as unknown as Ticket);
        const before = tickets.get(ev.documentId) ?? null;
        if (after) {
          tickets.set(after.number, after);
          report(ticketEvents(before, after, me.watcher));
        } else tickets.delete(ev.documentId);
      });
      const activitySub = o.db.activity.$.subscribe((ev) => {
        if (ev.operation !== 'INSERT') return;
        const entry = plain(ev.documentData) as unknown as ActivityEntry;
        report(activityEvents(entry, tickets.get(entry.ticketNumber) ?? null, me.watcher));
      });
      unsubs.push(
        () => ticketSub.unsubscribe(),
        () => activitySub.unsubscribe(),
      );
      reportCounts();
      // Notifications start once the replica has caught up with the server the first time.
      await firstValueFrom(o.sync.view$.pipe(filter((v) => v.status.state === 'in-sync'))).catch(
        () => undefined,
      );
      live = true;
      lastSlaCheck = now();
    })();

    const tick = setInterval(() => {
      const t = now();
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      report(slaEvents(tickets.values(), me.watcher, lastSlaCheck, t, slaConfig, zone));
      lastSlaCheck = t;
      reportCounts();
    }, tickMs);
    const configSub = observeSlaConfig(o.db).subscribe((c) => {
      slaConfig = c;
    });
    let countsTimer: ReturnType<typeof setTimeout> | undefined;
    const countsSoon = o.db.tickets.$.subscribe(() => {
      countsTimer ??= setTimeout(() => {
        countsTimer = undefined;
        reportCounts();
      }, 2_000);
    });
    return () => {
      clearInterval(tick);
      configSub.unsubscribe();
      clearTimeout(countsTimer);
      countsSoon.unsubscribe();
    };
  };
  if (o.desk.send) unsubs.push(watchTickets());

  const statusSub = o.sync.view$.subscribe((v) => {
    const key = JSON.stringify(v.status);
    if (key === lastStatus) return;
    lastStatus = key;
    o.desk.invoke('sync:report-status', v.status).catch(() => undefined);
  });

  unsubs.push(
    o.desk.on('sync:requested', () => o.sync.syncNow()),
    o.desk.on('sync:flush-requested', () => o.sync.syncNow()),
    o.desk.on('sync:work-offline-changed', ({ offline }) => o.sync.setWorkOffline(offline)),
    o.desk.on('notifications:clicked', ({ ticketNumber }) => o.onOpenTicket(ticketNumber)),
    o.desk.on('deeplink:opened', ({ url }) => {
      const r = parseDeepLink(url);
      if (!r.ok) return;
      if (r.link.action === 'ticket') o.onOpenTicket(r.link.number);
      else o.onNewTicket(r.link.kind);
    }),
  );

  return () => {
    stopped = true;
    clearTimeout(flushTimer);
    statusSub.unsubscribe();
    for (const u of unsubs) u();
  };
}

/**
 * SLA records: what a ticket's SLA was, stored, so a report of last month does not change when a
 * policy or a priority changes today. A ticket carries its running record (`sla.record`: the
 * policy as it was when the record started, the configuration version, the start); every change
 * to it is written as append-only `sla-event` activity entries by the device that made the change,
 * on that device's clock:
 *
 * - `start`: a record starts (ticket created, or a replacement after a priority change);
 * - `cancel`: the running record is closed because the priority (or a policy condition) changed,
 *   or the ticket was cancelled;
 * - `pause` / `resume`: a pause began or ended (and which clocks it stops under the policy);
 * - `threshold` / `breach`: a clock reached a warning threshold or its target, recorded by the
 *   first write after the instant (the entry's `at` is the instant itself);
 * - `met` / `missed`: a clock stopped before / after its target.
 *
 * A breach, once recorded, stays: a later downgrade cancels the record, it does not rewrite it.
 * Two devices writing offline may both record the same crossing; entries are keyed
 * (`slaEntryKey`) so every reader keeps one, deterministically (`dedupeSlaEntries`).
 */
import {
  evaluateSla,
  findSlaPolicy,
  responseAt,
  slaCrossings,
  type SlaClockName,
  type SlaConfig,
} from './sla';
import { PRIORITY_LABELS } from './priority';
import type { SlaRunningRecord, Ticket } from './ticket';

/** What happened to an SLA record. */
export type SlaRecordEvent =
  'start' | 'cancel' | 'pause' | 'resume' | 'threshold' | 'breach' | 'met' | 'missed';

/** One `sla-event` activity entry to write. */
export type SlaRecordEntry = {
  readonly at: string;
  readonly body: string;
  readonly data: {
    readonly record: string;
    readonly event: SlaRecordEvent;
    readonly policyId: string;
    readonly configVersion: number;
    readonly calendarId: string;
    readonly clock?: SlaClockName;
    readonly threshold?: number;
    readonly reason?: string;
    readonly dueAt?: { readonly response: string | null; readonly resolution: string | null };
  };
};

const LABEL = { response: 'Response', resolution: 'Resolution' } as const;

function recordNumber(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('#') + 1));
  return Number.isInteger(n) ? n : 0;
}

/**
 * The ticket with its running record brought up to date under `config` at `now`: a first record
 * when it has none (and a policy covers it), a new one when the policy its fields now match is not
 * the running record's (a priority change, or a changed group, category… of a conditional policy).
 * Stopped tickets keep the record they stopped under.
 */
export function withSlaRecord(after: Ticket, config: SlaConfig, now: string): Ticket {
  let running = after.sla.record ?? null;
  if (running && after.sla.resolvedAt !== null) {
    // Resolved: the record keeps the calendar it stopped on (its outcome never moves).
    if (running.calendar) return after;
    const calendar = config.calendars.find((c) => c.id === running!.policy.calendarId);
    return calendar ? { ...after, sla: { ...after.sla, record: { ...running, calendar } } } : after;
  }
  if (running?.calendar) {
    // Reopened: the clocks follow the desk's calendar again.
    const { calendar: _frozen, ...live } = running;
    running = live;
    after = { ...after, sla: { ...after.sla, record: live } };
  }
  const matched = findSlaPolicy(config, after);
  if (running && matched?.id === running.policy.id && running.policy.priority === after.priority)
    return after;
  if (running && !matched && running.policy.priority === after.priority) return after;
  if (!matched) return running ? { ...after, sla: { ...after.sla, record: null } } : after;
  // A first record (a new ticket, or one from before records) counts from creation.
  const fromChange = running !== null && (matched.restartFrom ?? 'change') === 'change';
  const record: SlaRunningRecord = {
    id: `${after.number}#${running ? recordNumber(running.id) + 1 : 1}`,
    startedAt: fromChange ? now : after.createdAt,
    configVersion: config.version ?? 0,
    policy: matched,
  };
  // A ticket from before records, first written once resolved, stops on today's calendar.
  const calendar =
    after.sla.resolvedAt !== null
      ? config.calendars.find((c) => c.id === matched.calendarId)
      : undefined;
  return { ...after, sla: { ...after.sla, record: calendar ? { ...record, calendar } : record } };
}

function dataOf(record: SlaRunningRecord) {
  return {
    record: record.id,
    policyId: record.policy.id,
    configVersion: record.configVersion,
    calendarId: record.policy.calendarId,
  };
}

/** Threshold and breach entries of `record` on `ticket` reached in (`from`, `to`]. */
function crossingEntries(
  ticket: Ticket,
  record: SlaRunningRecord,
  config: SlaConfig,
  from: number,
  to: number,
): SlaRecordEntry[] {
  const t = { ...ticket, sla: { ...ticket.sla, record } };
  return slaCrossings(t, from, to, config).map((c) => ({
    at: c.at,
    body:
      c.level === 'breach'
        ? `${LABEL[c.clock]} target breached`
        : `${LABEL[c.clock]} target ${c.threshold}% used`,
    data: {
      ...dataOf(record),
      event: c.level === 'breach' ? ('breach' as const) : ('threshold' as const),
      clock: c.clock,
      threshold: c.threshold,
    },
  }));
}

const hhmm = (iso: string | null) => (iso === null ? 'not yet known' : iso.replace('.000Z', 'Z'));

/**
 * The `sla-event` entries for a ticket write from `before` (null: a new ticket) to `after` (both
 * with their records already brought up to date by `withSlaRecord`), written at `after.updatedAt`.
 */
export function slaRecordEntries(
  before: Ticket | null,
  after: Ticket,
  config: SlaConfig,
): SlaRecordEntry[] {
  const out: SlaRecordEntry[] = [];
  const now = after.updatedAt;
  const nowMs = Date.parse(now);
  const old = before?.sla.record ?? null;
  const rec = after.sla.record ?? null;
  // Crossings of the record that ran until this write, since the previous write.
  const since = before ? Date.parse(before.updatedAt) : -Infinity;
  if (old && before && before.sla.resolvedAt === null) {
    const state = old.id === rec?.id ? after : { ...after, priority: before.priority };
    out.push(...crossingEntries(state, old, config, since, nowMs));
  }
  if (old && old.id !== rec?.id) {
    const reason =
      before && before.priority !== after.priority
        ? `priority changed (${PRIORITY_LABELS[before.priority]} → ${PRIORITY_LABELS[after.priority]})`
        : 'policy conditions changed';
    out.push({
      at: now,
      body: `SLA cancelled: ${reason}`,
      data: { ...dataOf(old), event: 'cancel', reason },
    });
  }
  if (rec && rec.id !== old?.id) {
    const sla = evaluateSla(after, nowMs, config);
    const dueAt = {
      response: sla?.response.dueAt ?? null,
      resolution: sla?.resolution.dueAt ?? null,
    };
    out.push({
      at: now,
      body:
        `SLA started: ${rec.policy.name ?? rec.policy.id} (configuration v${rec.configVersion}), ` +
        `counting from ${hhmm(rec.startedAt)}; response due ${hhmm(dueAt.response)}, ` +
        `resolution due ${hhmm(dueAt.resolution)}`,
      data: { ...dataOf(rec), event: 'start', dueAt },
    });
    // A record counting from creation may already have crossed thresholds.
    out.push(...crossingEntries(after, rec, config, -Infinity, nowMs));
  }
  if (!rec) return out;
  const pauseKeys = (t: Ticket | null) =>
    new Map((t?.sla.pauses ?? []).map((p) => [p.from, p] as const));
  const was = pauseKeys(before);
  for (const p of after.sla.pauses) {
    const prev = was.get(p.from);
    if (p.reason === 'resolved') continue;
    if (!prev && p.to === null)
      out.push({
        at: p.from,
        body: `SLA paused (${(p.reason ?? 'on hold').replace('-', ' ')})`,
        data: { ...dataOf(rec), event: 'pause', ...(p.reason ? { reason: p.reason } : {}) },
      });
    else if (prev && prev.to === null && p.to !== null)
      out.push({
        at: p.to,
        body: 'SLA resumed',
        data: { ...dataOf(rec), event: 'resume', ...(p.reason ? { reason: p.reason } : {}) },
      });
  }
  // Clocks that stopped with this write.
  const stops: [SlaClockName, string | null, string | null][] = [
    ['response', before ? responseAt(rec.policy, before) : null, responseAt(rec.policy, after)],
    ['resolution', before?.sla.resolvedAt ?? null, after.sla.resolvedAt],
  ];
  const reading = evaluateSla(after, nowMs, config);
  for (const [clock, was0, is] of stops) {
    if (was0 !== null || is === null || !reading) continue;
    const r = reading[clock];
    if (r.status === 'cancelled') {
      if (clock === 'resolution')
        out.push({
          at: now,
          body: 'SLA cancelled: ticket cancelled',
          data: { ...dataOf(rec), event: 'cancel', reason: 'ticket cancelled' },
        });
      continue;
    }
    const met = r.elapsedMs < r.targetMs;
    out.push({
      at: is,
      body: `${LABEL[clock]} target ${met ? 'met' : 'missed'} (${Math.round(r.percent)}% used)`,
      data: { ...dataOf(rec), event: met ? 'met' : 'missed', clock },
    });
  }
  return out;
}

/** The identity of an SLA entry: two devices recording the same fact give the same key. */
export function slaEntryKey(data: Readonly<Record<string, unknown>>): string {
  const event = String(data.event);
  const parts = [String(data.record), event];
  if (event === 'threshold' || event === 'breach' || event === 'met' || event === 'missed')
    parts.push(
      String(data.clock),
      typeof data.threshold === 'number' ? String(data.threshold) : '',
    );
  return parts.join('|');
}

/**
 * SLA entries with duplicates (the same crossing recorded by two devices offline) dropped: of
 * each key the entry with the earliest `at`, then the smallest id, is kept, whatever the order the
 * devices' entries arrived in. Pauses and resumes are kept as they are (each is its own fact).
 */
export function dedupeSlaEntries<
  E extends {
    readonly id: string;
    readonly at: string;
    readonly data: Readonly<Record<string, unknown>>;
  },
>(entries: readonly E[]): E[] {
  const keep = new Map<string, E>();
  const out: E[] = [];
  for (const e of entries) {
    const ev = String(e.data.event);
    if (ev === 'pause' || ev === 'resume') {
      out.push(e);
      continue;
    }
    const k = slaEntryKey(e.data);
    const prev = keep.get(k);
    if (!prev || e.at < prev.at || (e.at === prev.at && e.id < prev.id)) keep.set(k, e);
  }
  out.push(...keep.values());
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
}

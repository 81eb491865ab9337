/**
 * Synthetic tickets with the shape of a real desk (shared/REAL-DESK.md): weekday and hour-of-day
 * arrival curves, a priority mix centred on P3, log-normal resolution times with long tails,
 * on-hold pauses, reassignments and reopenings. Every generated ticket passes the shared
 * validation, so demo and benchmark data exercise the real rules.
 */
import {
  newTicketNumber,
  priorityOf,
  validateTicket,
  type Level,
  type TicketKind,
} from '../../../shared/domain';
import { DEMO_GROUPS, LOCATIONS } from './demo-directory';
import type { Rng } from './random';

type Doc = Record<string, unknown>;

const HOUR = 3_600_000;
const WEEKDAY_WEIGHTS = [23.9, 19.9, 19.6, 16.5, 15.4, 2.6, 2.3] as const; // Mon..Sun
const HOUR_WEIGHTS = [
  0.6, 0.5, 0.5, 0.5, 0.6, 0.8, 1.4, 4.5, 11.5, 11.5, 10.5, 10.5, 5.4, 7.5, 8.5, 8.3, 8.2, 4.4, 1.6,
  1.2, 1.0, 0.8, 0.7, 0.6,
] as const;
// [impact, urgency] pairs per priority, weighted so the priority mix matches the real desk.
const PRIORITY_MIX = [
  [[1, 1], 1.1],
  [[1, 2], 0.8],
  [[2, 1], 0.8],
  [[2, 2], 90.0],
  [[1, 3], 2.1],
  [[3, 1], 2.1],
  [[2, 3], 1.6],
  [[3, 2], 1.5],
  [[3, 3], 0.3],
] as const satisfies readonly (readonly [readonly [Level, Level], number])[];
// Median / 90th percentile hours from open to resolved, per priority.
const RESOLVE_HOURS: Record<number, readonly [number, number]> = {
  1: [80, 617],
  2: [38, 382],
  3: [22, 375],
  4: [5, 503],
  5: [48, 700],
};
const KIND_MIX = [
  ['incident', 74],
  ['request', 20],
  ['problem', 2],
  ['change', 4],
] as const satisfies readonly (readonly [TicketKind, number])[];
const HOLD_REASONS = [
  ['awaiting-caller', 14642],
  ['awaiting-vendor', 707],
  ['awaiting-change', 461],
] as const;
const TITLES: Record<string, readonly string[]> = {
  access: [
    'Cannot log in to workstation',
    'Account locked after password change',
    'Need access to finance share',
  ],
  network: [
    'VPN disconnects every few minutes',
    'No network on meeting room dock',
    'Wi-Fi slow on floor 3',
  ],
  hardware: [
    'Laptop will not power on',
    'Monitor flickering',
    'Printer jams on every job',
    'Docking station not detected',
  ],
  software: [
    'Office crashes when opening attachments',
    'Need Visio installed',
    'Browser certificate warning',
  ],
  email: ['Shared mailbox not visible', 'Emails stuck in outbox', 'Calendar invites not arriving'],
  erp: [
    'ERP invoice screen times out',
    'Purchase order approval missing',
    'ERP report shows wrong totals',
  ],
  server: ['File server unreachable', 'Backup job failed overnight', 'High CPU on app server'],
  database: ['Database disk nearly full', 'Slow queries on reporting DB'],
  security: ['Suspicious e-mail received', 'Antivirus alert on laptop'],
  telephony: ['Desk phone has no dial tone', 'Voicemail PIN reset'],
  storage: ['Restore deleted project folder', 'Quota exceeded on home drive'],
  general: ['Question about IT policy', 'Meeting room screen not working'],
};

export type DemoTicketOptions = {
  readonly count: number;
  readonly days: number;
  readonly now: number;
  readonly agents: readonly string[];
  /** Field technicians; when given, about 3% of the tickets are work orders assigned to them. */
  readonly technicians?: readonly string[];
  readonly callers: readonly string[];
  readonly cis: readonly Doc[];
  readonly kb: readonly Doc[];
};

function arrivalTime(rng: Rng, now: number, days: number): number {
  // Pick a day with the weekday curve, then an hour with the hour-of-day curve.
  for (;;) {
    const dayOffset = rng.int(0, days - 1);
    const day = new Date(now - dayOffset * 24 * HOUR);
    const weekday = (day.getUTCDay() + 6) % 7;
    if (!rng.chance((WEEKDAY_WEIGHTS[weekday] ?? 0) / 23.9)) continue;
    const hour = rng.weighted(HOUR_WEIGHTS.map((w, h) => [h, w] as const));
    day.setUTCHours(hour, rng.int(0, 59), rng.int(0, 59), 0);
    if (day.getTime() < now) return day.getTime();
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Generates `count` tickets over the last `days` days. */
export function demoTickets(rng: Rng, o: DemoTicketOptions): Doc[] {
  const out: Doc[] = [];
  const technicians = o.technicians ?? [];
  const workOrders = technicians.length > 0 ? Math.round(o.count * 0.03) : 0;
  for (let i = 0; i < o.count - workOrders; i++) {
    const kind = rng.weighted(KIND_MIX);
    const created = arrivalTime(rng, o.now, o.days);
    const [impact, urgency] = rng.weighted<readonly [Level, Level]>(PRIORITY_MIX);
    const priority = priorityOf(impact, urgency);
    const group = rng.pick(DEMO_GROUPS);
    const category = kind === 'change' ? 'change' : rng.pick(group[2]);
    const ci = rng.chance(0.6) ? rng.pick(o.cis) : null;
    const [median, p90] = RESOLVE_HOURS[priority] ?? [22, 375];
    const resolveAt = created + rng.logNormal(median, p90) * HOUR;
    // Hours and milliseconds kept apart: the response comes at most halfway to the resolution.
    const respondAt = created + Math.min(rng.logNormal(0.5, 6) * HOUR, (resolveAt - created) / 2);
    const assignee = rng.chance(0.85) ? rng.pick(o.agents) : null;
    const pauses: { from: string; to: string | null }[] = [];
    let state: string;
    let onHoldReason: string | null = null;
    let resolution: { code: string; notes: string } | null = null;
    let updated = created;
    const finalState = kind === 'request' ? 'fulfilled' : kind === 'change' ? 'closed' : 'resolved';
    if ((kind === 'incident' || kind === 'request') && rng.chance(0.3)) {
      // A pause starts after the response and, like everything else, in the past.
      const from = Math.min(
        respondAt + (resolveAt - respondAt) * 0.3,
        o.now - rng.int(1, 48) * HOUR,
      );
      const to = from + rng.logNormal(6, 72) * HOUR;
      if (from > respondAt)
        pauses.push({ from: iso(from), to: to < o.now ? iso(Math.min(to, resolveAt)) : null });
    }
    const openPause = pauses.find((p) => p.to === null);
    if (resolveAt < o.now && !openPause) {
      state = kind === 'incident' && resolveAt < o.now - 72 * HOUR ? 'closed' : finalState;
      if (kind === 'incident' || kind === 'problem')
        resolution = {
          code: rng.weighted([
            ['solved-workaround', 60],
            ['solved-permanently', 18],
            ['user-error', 9],
            ['not-reproducible', 7],
            ['duplicate', 6],
          ]),
          notes: 'Resolved with the caller on the phone.',
        };
      updated = resolveAt;
    } else if (openPause) {
      state = 'on-hold';
      onHoldReason = rng.weighted(HOLD_REASONS);
      updated = Date.parse(openPause.from);
    } else if (respondAt < o.now) {
      state =
        kind === 'change'
          ? rng.pick(['assess', 'authorize', 'scheduled', 'implement'])
          : kind === 'problem'
            ? 'root-cause-analysis'
            : 'in-progress';
      updated = respondAt;
    } else {
      state = 'new';
    }
    const doc = {
      number: newTicketNumber(kind, { now: created, deviceId: 'demo-seed', random: rng.next }),
      kind,
      schemaVersion: 1,
      title: rng.pick(TITLES[category] ?? TITLES.general ?? ['Service desk ticket']),
      description: `Reported by phone. ${rng.pick(['Started this morning.', 'Happens intermittently.', 'Affects the whole team.', 'Blocking month-end close.'])}`,
      requesterId: rng.pick(o.callers),
      ciId: ci ? String(ci.id) : null,
      category,
      impact,
      urgency,
      priority,
      groupId: group[0],
      assigneeId: state === 'new' ? null : assignee,
      state,
      onHoldReason,
      resolution,
      parentNumber: null,
      links: rng.chance(0.143) ? [{ kind: 'kb', id: String(rng.pick(o.kb).id) }] : [],
      sla: {
        respondedAt: state === 'new' ? null : iso(respondAt),
        resolvedAt:
          resolution || state === 'fulfilled' || state === 'closed' ? iso(resolveAt) : null,
        pauses,
      },
      createdAt: iso(created),
      createdBy: 'import',
      updatedAt: iso(Math.min(updated, o.now)),
      updatedBy: assignee ?? 'import',
    } satisfies Record<string, unknown>;
    const checked = validateTicket(doc);
    if (!checked.ok)
      throw new Error(`demo ticket ${doc.number} is invalid: ${checked.errors.join('; ')}`);
    out.push(checked.value);
  }
  const parents = out.filter((t) => t.kind === 'incident' || t.kind === 'request');
  const fieldParents = parents.filter((t) => t.groupId === 'group:field');
  for (let i = 0; i < workOrders; i++) {
    const parent = rng.pick(fieldParents.length > 0 ? fieldParents : parents);
    out.push(demoWorkOrder(rng, parent, technicians, o.now));
  }
  return out;
}

/** A field visit under `parent`, assigned to a technician (the demo's tara most often). */
/** Checklists of field jobs, by category: [id, label, required]. */
const CHECKLISTS: Record<string, readonly (readonly [string, string, boolean])[]> = {
  network: [
    ['arrive', 'Check in with the site contact', true],
    ['diagnose', 'Test the link and patch panel', true],
    ['label', 'Label replaced cables', false],
    ['verify', 'Verify connectivity with the user', true],
  ],
  default: [
    ['arrive', 'Check in with the site contact', true],
    ['diagnose', 'Diagnose the fault on site', true],
    ['clean', 'Leave the workplace tidy', false],
    ['verify', 'Verify the fix with the user', true],
  ],
};

function demoWorkOrder(rng: Rng, parent: Doc, technicians: readonly string[], now: number): Doc {
  const created = Math.min(Date.parse(String(parent.createdAt)) + rng.int(1, 8) * HOUR, now);
  const parentDone = ['resolved', 'closed', 'fulfilled', 'cancelled'].includes(
    String(parent.state),
  );
  const state = parentDone
    ? rng.pick(['completed', 'closed'])
    : rng.weighted([
        ['new', 1],
        ['assigned', 5],
        ['in-progress', 3],
      ] as const);
  const assignee = state === 'new' ? null : rng.chance(0.4) ? 'tara' : rng.pick(technicians);
  const updated = parentDone
    ? Math.max(created, Date.parse(String(parent.updatedAt)))
    : Math.min(created + rng.int(1, 24) * HOUR, now);
  const doc = {
    number: newTicketNumber('workorder', {
      now: created,
      deviceId: 'demo-seed',
      random: rng.next,
    }),
    kind: 'workorder',
    schemaVersion: 1,
    title: `Site visit: ${String(parent.title)}`,
    description: `On-site work for ${String(parent.number)}. Bring spare parts; call the contact on arrival.`,
    requesterId: parent.requesterId,
    ciId: parent.ciId,
    category: parent.category,
    impact: parent.impact,
    urgency: parent.urgency,
    priority: parent.priority,
    groupId: 'group:field',
    assigneeId: assignee,
    state,
    onHoldReason: null,
    resolution: null,
    parentNumber: parent.number,
    links: [],
    workorder: {
      fieldStatus: parentDone ? 'work-done' : 'scheduled',
      site: rng.pick(LOCATIONS),
      contactId: parent.requesterId,
      scheduledFor: iso(created + rng.int(2, 48) * HOUR),
      checklist: (CHECKLISTS[String(parent.category)] ?? CHECKLISTS.default!).map(
        ([id, label, required]) => ({ id, label, required }),
      ),
    },
    sla: {
      respondedAt: state === 'new' ? null : iso(created),
      resolvedAt: parentDone ? iso(updated) : null,
      pauses: [],
    },
    createdAt: iso(created),
    createdBy: 'import',
    updatedAt: iso(Math.min(updated, now)),
    updatedBy: assignee ?? 'import',
  };
  const checked = validateTicket(doc);
  if (!checked.ok)
    throw new Error(`demo work order ${doc.number} is invalid: ${checked.errors.join('; ')}`);
  return checked.value;
}

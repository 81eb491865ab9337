/**
 * Changes the server refused, as the user made them: which fields of a refused ticket differ
 * from the server's version (every one of them can be fixed before resending), which field the
 * server's reason concerns, and the resend itself, which re-applies the whole refused version
 * (state, field status, every edited field) over the server's, never just some of its fields.
 * A refusal goes away only when its resend is written, or when the user discards it.
 */
import { map, type Observable } from 'rxjs';
import {
  auditChanges,
  pathBetween,
  priorityOf,
  validateActivity,
  validateTicket,
  type Level,
  type Ticket,
} from '../../../shared/domain';
import type { DeskDatabase } from './database';
import { markPending } from './outbox';
import type { RejectedChange } from './pending';
import { addActivity, TicketError } from './tickets-repo';

type Doc = Record<string, unknown>;

/** Set by the device or derived: never offered for editing, and not re-applied by hand. */
const NOT_EDITED = new Set([
  'number',
  'kind',
  'schemaVersion',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'priority',
  'sla',
  '_rev',
  '_meta',
  '_deleted',
  '_attachments',
]);
/** Kind-specific detail objects, shown key by key. */
const NESTED = ['workorder', 'change', 'problem', 'request'];

/** One field of a refused change: where it is, what the user made it, what the server has. */
export type RefusedField = {
  readonly path: string;
  readonly label: string;
  readonly mine: unknown;
  readonly server: unknown;
};

const LABELS: Readonly<Record<string, string>> = {
  title: 'Title',
  description: 'Description',
  requesterId: 'Requester',
  ciId: 'Configuration item',
  category: 'Category',
  impact: 'Impact',
  urgency: 'Urgency',
  groupId: 'Assignment group',
  assigneeId: 'Assignee',
  state: 'State',
  onHoldReason: 'On-hold reason',
  resolution: 'Resolution',
  parentNumber: 'Parent',
  links: 'Links',
  body: 'Text',
  'workorder.fieldStatus': 'Field status',
  'workorder.site': 'Site',
  'workorder.contactId': 'Site contact',
  'workorder.scheduledFor': 'Scheduled for',
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields of `mine` (the refused version) that differ from `server` (null: a new ticket). */
export function refusedFields(mine: Doc, server: Doc | null): RefusedField[] {
  const out: RefusedField[] = [];
  for (const k of Object.keys(mine)) {
    if (NOT_EDITED.has(k)) continue;
    if (NESTED.includes(k) && isObject(mine[k])) {
      const m = mine[k];
      const s = isObject(server?.[k]) ? server[k] : {};
      for (const sub of Object.keys(m)) {
        const path = `${k}.${sub}`;
        if (server === null || !same(m[sub], s[sub]))
          out.push({ path, label: LABELS[path] ?? path, mine: m[sub], server: s[sub] ?? null });
      }
      continue;
    }
    if (server === null || !same(mine[k], server[k]))
      out.push({ path: k, label: LABELS[k] ?? k, mine: mine[k], server: server?.[k] ?? null });
  }
  return out;
}

// Which field a reason is about, by the words the server's rules use for it.
const REASON_WORDS: readonly (readonly [RegExp, string])[] = [
  [/group/i, 'groupId'],
  [/\bsite\b/i, 'workorder.site'],
  [/field status/i, 'workorder.fieldStatus'],
  [/move from|state|resolution|on-hold/i, 'state'],
  [/title/i, 'title'],
  [/assign/i, 'assigneeId'],
  [/requester/i, 'requesterId'],
  [/category/i, 'category'],
  [/impact|urgency|priority/i, 'impact'],
  [/text|note|body/i, 'body'],
];

/** The field of the refused document `mine` the server's `reason` concerns, or null. */
export function fieldOfReason(reason: string, mine: Doc): string | null {
  const has = (path: string) => {
    const [head, sub] = path.split('.');
    const v = head === undefined ? undefined : mine[head];
    return sub === undefined ? v !== undefined : isObject(v) && sub in v;
  };
  for (const [re, path] of REASON_WORDS) if (re.test(reason) && has(path)) return path;
  return null;
}

/**
 * What "Fix and resend" offers: every field the refused version changed, and the field the
 * reason concerns even when the user did not change it (a rule may refuse a change because of
 * another field).
 */
export function fieldsToFix(mine: Doc, server: Doc | null, reason: string): RefusedField[] {
  const fields = refusedFields(mine, server);
  const concerned = fieldOfReason(reason, mine);
  if (concerned === null || fields.some((f) => f.path === concerned)) return fields;
  const [head, sub] = concerned.split('.') as [string, string | undefined];
  const pick = (d: Doc | null) =>
    sub === undefined ? d?.[head] : isObject(d?.[head]) ? d[head][sub] : undefined;
  return [
    {
      path: concerned,
      label: LABELS[concerned] ?? concerned,
      mine: pick(mine),
      server: pick(server) ?? null,
    },
    ...fields,
  ];
}

/** A user's corrections, by field path (`title`, `state`, `workorder.site`, `body`). */
export type RefusalFix = Readonly<Record<string, unknown>>;

function withFix(doc: Doc, fix: RefusalFix): Doc {
  const out: Doc = { ...doc };
  for (const [path, v] of Object.entries(fix)) {
    const [head, sub] = path.split('.');
    if (!head) continue;
    if (sub === undefined) out[head] = v;
    else out[head] = { ...(isObject(out[head]) ? out[head] : {}), [sub]: v };
  }
  return out;
}

/** The refused change of ticket or activity entry `docId`, live (null once settled). */
export function observeRefusalsOf(
  db: DeskDatabase,
  ticketNumber: string,
): Observable<readonly RejectedChange[]> {
  return db.rejections
    .find()
    .$.pipe(
      map((docs) =>
        docs
          .map((d) => d.toJSON() as unknown as RejectedChange)
          .filter(
            (r) =>
              (r.store === 'tickets' && r.docId === ticketNumber) ||
              r.doc.ticketNumber === ticketNumber,
          ),
      ),
    );
}

/**
 * Resends a refused change with the user's `fix`: a ticket gets its whole refused version
 * (corrected) applied over the server's, so the state it reached, its field status and every
 * edited field go again; an activity entry is queued again. The refusal record is removed only
 * after the resend is saved, and only if the server has not refused again meanwhile (then the
 * new refusal stays, with its reason).
 */
export async function resendRefused(
  db: DeskDatabase,
  key: string,
  actor: string,
  fix: RefusalFix = {},
): Promise<void> {
  const rec = await db.rejections.findOne(key).exec();
  if (!rec) throw new TicketError('This refused change is no longer pending.');
  const store = String(rec.get('store'));
  const refused = rec.get('doc') as Doc;
  if (store === 'tickets') await resendTicket(db, String(rec.get('docId')), refused, actor, fix);
  else if (store === 'activity') {
    const v = validateActivity(withFix(refused, fix));
    if (!v.ok) throw new TicketError(v.errors.join('; '));
    await addActivity(db, { ...v.value, at: new Date().toISOString() });
  } else throw new TicketError(`Changes to ${store} cannot be resent from this device.`);
  try {
    await rec.remove();
  } catch {
    // Refused again while this resend was being written: that refusal is the one to show.
  }
}

async function resendTicket(
  db: DeskDatabase,
  number: string,
  refused: Doc,
  actor: string,
  fix: RefusalFix,
): Promise<void> {
  const doc = await db.tickets.findOne(number).exec();
  if (!doc) throw new TicketError(`Ticket ${number} is not in this replica.`);
  const mine = withFix(refused, fix);
  let saved: Ticket | undefined;
  await doc.incrementalModify((data: Doc) => {
    const { _meta: _m, _rev: _r, _deleted: _d, _attachments: _a, ...current } = data;
    const next: Doc = { ...current };
    for (const [k, v] of Object.entries(mine)) if (!NOT_EDITED.has(k)) next[k] = v;
    // The SLA clock the user's moves produced goes with the state they reached.
    if (isObject(refused.sla) && mine.state === refused.state) next.sla = refused.sla;
    next.priority = priorityOf(next.impact as Level, next.urgency as Level);
    next.updatedAt = new Date().toISOString();
    next.updatedBy = actor;
    const v = validateTicket(next);
    if (!v.ok) throw new TicketError(v.errors.join('; '));
    const t = v.value;
    if (pathBetween(t.kind, String(current.state), t.state, t.resolution !== null) === null)
      throw new TicketError(
        `The server's ticket is ${String(current.state)} now and cannot reach ${t.state}: choose a state it can.`,
      );
    saved = t;
    return { ...data, ...next };
  });
  if (!saved) throw new TicketError(`Ticket ${number} could not be saved.`);
  await markPending(db, 'tickets', number, saved);
  // The state moves were recorded, step by step, when the user made them: only the fields
  // corrected now are new to the activity.
  const asRefused = { ...(refused as unknown as Ticket), state: saved.state };
  for (const a of auditChanges(asRefused, saved).filter((c) => c.type === 'field-change'))
    await addActivity(db, {
      ticketNumber: number,
      type: a.type,
      by: actor,
      body: a.body,
      data: a.data,
      at: saved.updatedAt,
    });
}

/**
 * The ServiceNow incident mapping: one CSV row (a snapshot of an incident after one update) to a
 * checked row, and the rows of one incident to a Switchboard ticket, its activity (the audit trail
 * read from consecutive rows) and the directory entries it names. Pure: no I/O, no clock.
 * docs/import.md has the mapping table.
 */
import { stableJson } from '../domain/merge';
import { priorityOf, type Level } from '../domain/priority';
import type { OnHoldReason } from '../domain/ticket';
import { parseExternalRef } from './external-ref';

type Doc = Record<string, unknown>;

/** Date formats the importer reads (ServiceNow writes the instance's format). */
export const DATE_FORMATS = ['d/m/yyyy', 'm/d/yyyy', 'yyyy-mm-dd'] as const;
/** One date format. */
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Columns without which a row cannot be read. */
export const REQUIRED_COLUMNS = [
  'number',
  'incident_state',
  'sys_mod_count',
  'sys_updated_at',
  'sys_updated_by',
  'opened_at',
  'impact',
  'urgency',
  'priority',
] as const;

/** Every column of the export the importer reads (others are ignored). */
export const KNOWN_COLUMNS = [
  ...REQUIRED_COLUMNS,
  'active',
  'reassignment_count',
  'reopen_count',
  'made_sla',
  'caller_id',
  'opened_by',
  'sys_created_by',
  'sys_created_at',
  'contact_type',
  'location',
  'category',
  'subcategory',
  'u_symptom',
  'cmdb_ci',
  'assignment_group',
  'assigned_to',
  'knowledge',
  'u_priority_confirmation',
  'notify',
  'problem_id',
  'rfc',
  'vendor',
  'caused_by',
  'closed_code',
  'resolved_by',
  'resolved_at',
  'closed_at',
] as const;
type Column = (typeof KNOWN_COLUMNS)[number];

/** ServiceNow incident states and what they become (unknown values are refused, not guessed). */
export const STATE_MAP: Readonly<
  Record<string, { readonly state: string; readonly onHoldReason: OnHoldReason | null }>
> = {
  New: { state: 'new', onHoldReason: null },
  Active: { state: 'in-progress', onHoldReason: null },
  'In Progress': { state: 'in-progress', onHoldReason: null },
  'Awaiting User Info': { state: 'on-hold', onHoldReason: 'awaiting-caller' },
  'Awaiting Vendor': { state: 'on-hold', onHoldReason: 'awaiting-vendor' },
  'Awaiting Problem': { state: 'on-hold', onHoldReason: 'awaiting-problem' },
  'Awaiting Evidence': { state: 'on-hold', onHoldReason: 'awaiting-evidence' },
  'Awaiting Change': { state: 'on-hold', onHoldReason: 'awaiting-change' },
  Resolved: { state: 'resolved', onHoldReason: null },
  Closed: { state: 'closed', onHoldReason: null },
  Canceled: { state: 'cancelled', onHoldReason: null },
  Cancelled: { state: 'cancelled', onHoldReason: null },
};

/** One checked row. Text fields are null where ServiceNow wrote `?` or nothing. */
export type SnRow = {
  readonly line: number;
  readonly number: string;
  readonly stateLabel: string;
  readonly state: string;
  readonly onHoldReason: OnHoldReason | null;
  readonly modCount: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly openedAt: string;
  readonly impact: Level;
  readonly urgency: Level;
  readonly priority: number;
  readonly priorityLabel: string;
  readonly text: Readonly<Partial<Record<Column, string | null>>>;
  readonly createdAt: string | null;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
};

/** A column index of the header row. */
export type Header = ReadonlyMap<string, number>;

/** Reads the header row; an error names the missing columns. */
export function readHeader(
  fields: readonly string[],
): { ok: true; header: Header } | { ok: false; error: string } {
  const header = new Map<string, number>();
  fields.forEach((f, i) => header.set(f.trim().replace(/^\uFEFF/, ''), i));
  const missing = REQUIRED_COLUMNS.filter((c) => !header.has(c));
  return missing.length > 0
    ? { ok: false, error: `the header has no ${missing.join(', ')} column` }
    : { ok: true, header };
}

/** `?`, empty and whitespace-only values are empty; inner whitespace runs count as one space. */
export function cleanText(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.replace(/\s+/g, ' ').trim();
  return t === '' || t === '?' ? null : t;
}

const DATE_RE = {
  'd/m/yyyy': /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/,
  'm/d/yyyy': /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/,
  'yyyy-mm-dd': /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/,
} as const;

/** A ServiceNow date-time (read as UTC) to ISO, or null if it is not a real date. */
export function parseSnDate(text: string, format: DateFormat): string | null {
  const m = DATE_RE[format].exec(text.trim());
  if (!m) return null;
  const n = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const [a = 0, b = 0, c = 0, hh = 0, mm = 0, ss = 0] = n;
  const [y, mo, d] =
    format === 'd/m/yyyy' ? [c, b, a] : format === 'm/d/yyyy' ? [c, a, b] : [a, b, c];
  const ms = Date.UTC(y, mo - 1, d, hh, mm, ss);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    hh > 23 ||
    mm > 59 ||
    ss > 59
  )
    return null;
  return back.toISOString();
}

const LEVEL_RE = /^([1-5]) - .+$/;

/** Checks one data row; a refusal says why in words a person can act on. */
export function readRow(
  header: Header,
  fields: readonly string[],
  line: number,
  dateFormat: DateFormat,
): { ok: true; row: SnRow } | { ok: false; number: string | null; reason: string } {
  const raw = (c: Column): string | undefined => {
    const i = header.get(c);
    return i === undefined ? undefined : fields[i];
  };
  const numberText = cleanText(raw('number'));
  const number = numberText !== null && parseExternalRef(numberText) ? numberText : null;
  const refuse = (reason: string) => ({ ok: false as const, number, reason });
  if (fields.length !== header.size)
    return refuse(`has ${fields.length} fields, the header has ${header.size}`);
  if (number === null)
    return refuse(`number "${(raw('number') ?? '').slice(0, 40)}" is not like INC0000045`);
  if (!number.startsWith('INC')) return refuse(`${number} is not an incident number`);
  const stateLabel = cleanText(raw('incident_state')) ?? '';
  const mapped = STATE_MAP[stateLabel];
  if (!mapped) return refuse(`unknown incident_state "${stateLabel.slice(0, 40)}"`);
  const modText = (raw('sys_mod_count') ?? '').trim();
  const modCount = /^\d{1,9}$/.test(modText) ? Number(modText) : NaN;
  if (!Number.isInteger(modCount))
    return refuse(`sys_mod_count "${modText.slice(0, 20)}" is not a count`);
  const date = (c: Column, required: boolean): string | null | false => {
    const t = cleanText(raw(c));
    if (t === null) return required ? false : null;
    return parseSnDate(t, dateFormat) ?? false;
  };
  const dates: Partial<Record<Column, string | null>> = {};
  for (const [c, required] of [
    ['sys_updated_at', true],
    ['opened_at', true],
    ['sys_created_at', false],
    ['resolved_at', false],
    ['closed_at', false],
  ] as const) {
    const d = date(c, required);
    if (d === false)
      return refuse(`${c} "${(raw(c) ?? '').slice(0, 30)}" is not a date (${dateFormat} HH:MM)`);
    dates[c] = d;
  }
  const levels: number[] = [];
  for (const c of ['impact', 'urgency', 'priority'] as const) {
    const m = LEVEL_RE.exec(cleanText(raw(c)) ?? '');
    const v = m ? Number(m[1]) : NaN;
    if (!(v >= 1 && v <= (c === 'priority' ? 5 : 3)))
      return refuse(`${c} "${(raw(c) ?? '').slice(0, 30)}" is not like "2 - Medium"`);
    levels.push(v);
  }
  const updatedBy = cleanText(raw('sys_updated_by'));
  if (updatedBy === null) return refuse('sys_updated_by is empty');
  const text: Partial<Record<Column, string | null>> = {};
  for (const c of KNOWN_COLUMNS) {
    const v = cleanText(raw(c));
    if (v !== null && v.length > 200) return refuse(`${c} is longer than 200 characters`);
    text[c] = v;
  }
  return {
    ok: true,
    row: {
      line,
      number,
      stateLabel,
      state: mapped.state,
      onHoldReason: mapped.onHoldReason,
      modCount,
      updatedAt: dates.sys_updated_at ?? '',
      updatedBy,
      openedAt: dates.opened_at ?? '',
      impact: levels[0] as Level,
      urgency: levels[1] as Level,
      priority: levels[2] ?? 3,
      priorityLabel: cleanText(raw('priority')) ?? '',
      text,
      createdAt: dates.sys_created_at ?? null,
      resolvedAt: dates.resolved_at ?? null,
      closedAt: dates.closed_at ?? null,
    },
  };
}

/** The kinds of directory entry an import creates. */
export type DirectoryKind =
  'group' | 'staff' | 'caller' | 'location' | 'category' | 'subcategory' | 'symptom' | 'ci';

const ID_PREFIX: Record<DirectoryKind, string> = {
  group: 'group',
  staff: 'person',
  caller: 'person',
  location: 'location',
  category: 'category',
  subcategory: 'subcategory',
  symptom: 'symptom',
  ci: 'ci',
};

/** A short, stable hash (two 32-bit FNV-style lanes) for ids and digests. */
export function hashText(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 2246822519);
  }
  return (h1 >>> 0).toString(36) + (h2 >>> 0).toString(36);
}

/** The key of a name in the directory: `sn-` and the name in lower case with dashes. */
export function nameKey(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  // Names with anything but letters, digits and spaces could share a slug, and so could long
  // names cut short (ids stay under the replica's 80 characters): those get a hash.
  return /^[A-Za-z0-9 ]+$/.test(name) && slug.length <= 40
    ? `sn-${slug}`
    : `sn-${slug.slice(0, 40)}-${hashText(name).slice(0, 8)}`;
}

/** The directory id of `name` as a `kind` entry. */
export function directoryId(kind: DirectoryKind, name: string): string {
  return `${ID_PREFIX[kind]}:${nameKey(name)}`;
}

/** The directory document of `name` as a `kind` entry. */
export function directoryDoc(kind: DirectoryKind, name: string): Doc {
  const base = {
    id: directoryId(kind, name),
    name,
    imported: { source: 'servicenow' },
  };
  switch (kind) {
    case 'group':
      return { ...base, type: 'group', categories: [] };
    case 'staff':
      return {
        ...base,
        type: 'person',
        username: nameKey(name),
        staff: true,
        roles: ['agent'],
        groupIds: [],
      };
    case 'caller':
      return { ...base, type: 'person', staff: false };
    case 'ci':
      return {
        ...base,
        type: 'ci',
        ciClass: 'imported',
        category: 'imported',
        status: 'in-service',
      };
    default:
      return { ...base, type: kind };
  }
}

/** Placeholders for what ServiceNow left empty but a ticket must name. */
export const NO_GROUP = 'No group in ServiceNow';
export const NO_CALLER = 'No caller in ServiceNow';
export const NO_PERSON = 'Unknown ServiceNow user';

/** The directory names a row mentions, by kind. */
export function namesOf(row: SnRow): [DirectoryKind, string][] {
  const t = row.text;
  const out: [DirectoryKind, string][] = [];
  const add = (k: DirectoryKind, v: string | null | undefined) => {
    if (v) out.push([k, v]);
  };
  add('group', t.assignment_group ?? NO_GROUP);
  add('caller', t.caller_id ?? NO_CALLER);
  for (const c of ['assigned_to', 'opened_by', 'resolved_by', 'sys_created_by'] as const)
    add('staff', t[c]);
  add('staff', row.updatedBy);
  if (!t.opened_by && !t.sys_created_by) add('staff', NO_PERSON);
  add('location', t.location);
  add('category', t.category);
  add('subcategory', t.subcategory);
  add('symptom', t.u_symptom);
  add('ci', t.cmdb_ci);
  return out;
}

/** One incident built from its rows. */
export type BuiltIncident = {
  readonly ref: string;
  readonly ticket: Doc;
  readonly activity: readonly Doc[];
  /** Source numbers this incident links to (problem_id, rfc, caused_by), by field. */
  readonly linkRefs: readonly string[];
};

const username = (name: string | null | undefined): string | null => (name ? nameKey(name) : null);

/** Digest of a ticket without its `imported.digest` and CouchDB fields. */
export function ticketDigest(doc: Doc): string {
  const rest: Doc = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === '_id' || k === '_rev' || k === '_revisions') continue;
    if (k === 'imported' && v !== null && typeof v === 'object') {
      const { digest: _digest, ...imported } = v as Doc;
      void _digest;
      rest[k] = imported;
    } else rest[k] = v;
  }
  return hashText(stableJson(rest));
}

type Change = { kind: string; type: 'state-change' | 'field-change'; body: string; data: Doc };

function changesBetween(prev: SnRow, row: SnRow): Change[] {
  const out: Change[] = [];
  if (prev.stateLabel !== row.stateLabel) {
    const finished = (s: string) => s === 'resolved' || s === 'closed';
    const resolving = finished(row.state) && !finished(prev.state);
    const code = row.text.closed_code ?? 'not-recorded';
    out.push({
      kind: 'state',
      type: 'state-change',
      body: `State: ${prev.stateLabel} → ${row.stateLabel}${resolving ? ` (${code})` : ''}`,
      data: {
        from: prev.state,
        to: row.state,
        ...(row.onHoldReason ? { onHoldReason: row.onHoldReason } : {}),
        ...(resolving ? { resolutionCode: code } : {}),
      },
    });
  }
  const fields = [
    ['group', 'groupId', 'Assignment group', 'assignment_group', 'group'],
    ['assignee', 'assigneeId', 'Assignee', 'assigned_to', 'staff'],
  ] as const;
  for (const [kind, field, label, column, dirKind] of fields) {
    const a = prev.text[column] ?? null;
    const b = row.text[column] ?? null;
    if (a === b) continue;
    const id = (v: string | null) =>
      v === null ? null : dirKind === 'group' ? directoryId('group', v) : nameKey(v);
    out.push({
      kind,
      type: 'field-change',
      body: `${label}: ${a ?? '—'} → ${b ?? '—'}`,
      data: { field, from: id(a), to: id(b) },
    });
  }
  if (prev.priorityLabel !== row.priorityLabel) {
    out.push({
      kind: 'priority',
      type: 'field-change',
      body: `Priority: ${prev.priorityLabel} → ${row.priorityLabel}`,
      data: { field: 'priority', from: prev.priority, to: row.priority },
    });
  }
  return out;
}

/**
 * The ticket and activity of one incident from its rows (at least one, any order: they are
 * sorted by `sys_mod_count`). `knownLinks` are links already established to keep (see the
 * importer); `linkable` says whether a source number's ticket exists.
 */
export function buildIncident(
  unsorted: readonly SnRow[],
  linkable: (ref: string) => boolean,
): BuiltIncident {
  const rows = [...unsorted].sort((a, b) => a.modCount - b.modCount);
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) throw new Error('an incident needs at least one row');
  const ref = parseExternalRef(last.number);
  if (!ref) throw new Error(`${last.number} is not a source number`);
  const number = ref.number;
  const t = last.text;
  const imported = { source: 'servicenow', number: last.number };

  const activity: Doc[] = [];
  const entry = (row: SnRow, kind: string, type: string, body: string, data: Doc) =>
    activity.push({
      id: `${number}:sn:${row.modCount}:${kind}`,
      ticketNumber: number,
      type,
      at: row.updatedAt,
      by: nameKey(row.updatedBy),
      schemaVersion: 1,
      body,
      data,
      imported: { ...imported, modCount: row.modCount },
    });
  entry(
    first,
    'open',
    'state-change',
    `Imported from ServiceNow ${last.number}: ${first.stateLabel}, ${first.priorityLabel}, ${first.text.assignment_group ?? 'no group'}`,
    {
      from: null,
      to: first.state,
      ...(first.onHoldReason ? { onHoldReason: first.onHoldReason } : {}),
    },
  );
  let respondedAt: string | null = first.state !== 'new' ? first.updatedAt : null;
  const pauses: { from: string; to: string | null }[] = [];
  if (first.state === 'on-hold') pauses.push({ from: first.updatedAt, to: null });
  let reopens = 0;
  let groupChanges = 0;
  let firstDone: string | null =
    first.state === 'resolved' || first.state === 'closed' ? first.updatedAt : null;
  const done = (s: string) => s === 'resolved' || s === 'closed' || s === 'cancelled';
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1];
    const row = rows[i];
    if (!prev || !row) continue;
    for (const c of changesBetween(prev, row)) entry(row, c.kind, c.type, c.body, c.data);
    if (respondedAt === null && row.state !== 'new') respondedAt = row.updatedAt;
    if (done(prev.state) && !done(row.state)) reopens++;
    if ((prev.text.assignment_group ?? null) !== (row.text.assignment_group ?? null))
      groupChanges++;
    if (firstDone === null && (row.state === 'resolved' || row.state === 'closed'))
      firstDone = row.updatedAt;
    const open = pauses[pauses.length - 1];
    if (open && open.to === null && row.state !== 'on-hold')
      open.to = row.updatedAt < open.from ? open.from : row.updatedAt;
    if (row.state === 'on-hold' && prev.state !== 'on-hold')
      pauses.push({ from: row.updatedAt, to: null });
  }
  const finalDone = last.state === 'resolved' || last.state === 'closed';
  const resolvedAt = finalDone ? (last.resolvedAt ?? firstDone ?? last.updatedAt) : null;
  if (resolvedAt !== null && respondedAt === null) respondedAt = resolvedAt;
  // A clock paused before the ticket was resolved ends at the resolution at the latest.
  const openPause = pauses[pauses.length - 1];
  if (openPause && openPause.to === null && last.state !== 'on-hold')
    openPause.to = last.updatedAt < openPause.from ? openPause.from : last.updatedAt;

  const linkRefs: string[] = [];
  for (const c of ['problem_id', 'rfc', 'caused_by'] as const) {
    const target = t[c] ? parseExternalRef(t[c] ?? '') : null;
    if (target && target.number !== number) linkRefs.push(target.ref);
  }
  const links = [...new Set(linkRefs)]
    .filter(linkable)
    .map((r) => ({ kind: 'ticket' as const, id: parseExternalRef(r)?.number ?? r }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));

  const title = [t.category, t.subcategory, t.u_symptom].filter(Boolean).join(' / ');
  const details: [string, string | null | undefined][] = [
    ['Contact type', t.contact_type],
    ['Location', t.location],
    ['Category', t.category],
    ['Subcategory', t.subcategory],
    ['Symptom', t.u_symptom],
    ['Configuration item', t.cmdb_ci],
    ['Problem', t.problem_id],
    ['Change (rfc)', t.rfc],
    ['Vendor', t.vendor],
    ['Caused by', t.caused_by],
    ['Resolved by', t.resolved_by],
  ];
  const description = [
    `Imported from ServiceNow incident ${last.number} (${rows.length} audit rows, last update ${last.modCount}).`,
    '',
    ...details.filter(([, v]) => v).map(([k, v]) => `- ${k}: ${String(v)}`),
  ].join('\n');
  const resolution = finalDone
    ? {
        code: t.closed_code ?? 'not-recorded',
        notes: `Resolved in ServiceNow${t.resolved_by ? ` by ${t.resolved_by}` : ''}${
          last.resolvedAt ? ` at ${last.resolvedAt}` : ''
        }.`,
      }
    : null;
  const bool = (v: string | null | undefined): boolean | null =>
    v === 'true' ? true : v === 'false' ? false : null;
  const count = (v: string | null | undefined): number | null =>
    v && /^\d{1,9}$/.test(v) ? Number(v) : null;
  const ticket: Doc = {
    number,
    kind: 'incident',
    schemaVersion: 1,
    title: `${last.number}: ${title || 'ServiceNow incident'}`.slice(0, 200),
    description,
    requesterId: directoryId('caller', t.caller_id ?? NO_CALLER),
    ciId: t.cmdb_ci ? directoryId('ci', t.cmdb_ci) : null,
    category: (t.category ?? 'uncategorised').slice(0, 80),
    impact: last.impact,
    urgency: last.urgency,
    priority: priorityOf(last.impact, last.urgency),
    groupId: directoryId('group', t.assignment_group ?? NO_GROUP),
    assigneeId: username(t.assigned_to),
    state: last.state,
    onHoldReason: last.onHoldReason,
    resolution,
    parentNumber: null,
    links,
    sla: { respondedAt, resolvedAt, pauses },
    createdAt: last.openedAt,
    createdBy: username(t.opened_by ?? t.sys_created_by) ?? nameKey(NO_PERSON),
    updatedAt: last.updatedAt,
    updatedBy: nameKey(last.updatedBy),
    imported: {
      ...imported,
      modCount: last.modCount,
      rows: rows.length,
      state: last.stateLabel,
      priority: last.priorityLabel,
      active: bool(t.active),
      sla: { source: 'servicenow', made: bool(t.made_sla) },
      reopenCount: count(t.reopen_count),
      reassignmentCount: count(t.reassignment_count),
      historyReopens: reopens,
      historyGroupChanges: groupChanges,
      closedCode: t.closed_code ?? null,
      resolvedBy: t.resolved_by ?? null,
      resolvedAt: last.resolvedAt,
      closedAt: last.closedAt,
      contactType: t.contact_type ?? null,
      location: t.location ? directoryId('location', t.location) : null,
      subcategory: t.subcategory ? directoryId('subcategory', t.subcategory) : null,
      symptom: t.u_symptom ? directoryId('symptom', t.u_symptom) : null,
      knowledge: bool(t.knowledge),
      priorityConfirmation: bool(t.u_priority_confirmation),
      notify: t.notify ?? null,
      problemId: t.problem_id ?? null,
      rfc: t.rfc ?? null,
      vendor: t.vendor ?? null,
      causedBy: t.caused_by ?? null,
    },
  };
  const withDigest = { ...ticket, imported: { ...(ticket.imported as Doc), digest: '' } };
  (withDigest.imported as Doc).digest = ticketDigest(withDigest);
  return { ref: last.number, ticket: withDigest, activity, linkRefs };
}

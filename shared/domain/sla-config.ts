/**
 * The desk's SLA configuration as it lives in the directory database: one document
 * (`id` `sla-config`) holding the calendars and the policies in match order. It is validated by
 * the same rules on the device (before an admin saves, and when it arrives from the server) and
 * in the server's validate_doc_update, where only admins may write it and every write must raise
 * `version` by one, so each SLA reading and record can name the version it used. Free of luxon
 * and of the holiday library, so the server bundles it cheaply.
 */
import { checkString, isRecord, type Problems } from './check';
import { validateCalendar, type BusinessCalendar } from './calendar-check';
import { TICKET_KINDS } from './kinds';
import type { WriteUser, Verdict } from './rules';
import type { SlaConfig, SlaPolicy } from './sla';
import { ON_HOLD_REASONS, type Validated } from './ticket';

/** The directory id (and type) of the SLA configuration document. */
export const SLA_CONFIG_ID = 'sla-config';
/** The document format this code reads and writes. */
export const SLA_CONFIG_SCHEMA_VERSION = 1;

/** The SLA configuration document of the directory database. */
export type SlaConfigDoc = {
  readonly id: typeof SLA_CONFIG_ID;
  readonly type: typeof SLA_CONFIG_ID;
  readonly name: string;
  readonly schemaVersion: typeof SLA_CONFIG_SCHEMA_VERSION;
  /** 1 for the first stored configuration, one more for each change. */
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly calendars: readonly BusinessCalendar[];
  readonly policies: readonly SlaPolicy[];
};

const PAUSE_REASONS: readonly string[] = [...ON_HOLD_REASONS, 'awaiting-approval'];
const MAX_MS = 366 * 24 * 60 * 60_000;

const isPositiveMs = (v: unknown): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_MS;

function checkList(p: Problems, v: unknown, what: string, allowed?: readonly string[]): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length > 500 || v.some((x) => typeof x !== 'string' || x.length > 120))
    p.push(`${what} must be a list of names`);
  else if (allowed) {
    const bad = (v as string[]).filter((x) => !allowed.includes(x));
    if (bad.length > 0) p.push(`${what}: unknown ${bad.join(', ')}; use ${allowed.join(', ')}`);
  }
}

function checkPolicy(p: Problems, v: unknown, calendarIds: ReadonlySet<string>): void {
  if (!isRecord(v)) {
    p.push('each policy must be an object');
    return;
  }
  const q: Problems = [];
  checkString(q, v.id, 'id', 1, 120);
  if (v.name !== undefined) checkString(q, v.name, 'name', 0, 200);
  if (!(TICKET_KINDS as readonly unknown[]).includes(v.kind))
    q.push(`kind must be one of ${TICKET_KINDS.join(', ')}`);
  if (![1, 2, 3, 4, 5].includes(v.priority as number)) q.push('priority must be 1 to 5');
  if (!isPositiveMs(v.responseMs)) q.push('the response target must be a positive time');
  if (!isPositiveMs(v.resolutionMs)) q.push('the resolution target must be a positive time');
  if (typeof v.calendarId !== 'string' || !calendarIds.has(v.calendarId))
    q.push(`calendar "${String(v.calendarId)}" is not one of the configuration's calendars`);
  if (v.conditions !== undefined) {
    if (!isRecord(v.conditions)) q.push('conditions must be an object');
    else {
      const c = v.conditions;
      const known = ['groupIds', 'categories', 'sites', 'orgs', 'services'];
      const unknown = Object.keys(c).filter((k) => !known.includes(k));
      if (unknown.length > 0) q.push(`unknown conditions ${unknown.join(', ')}`);
      for (const k of known) checkList(q, c[k], `conditions.${k}`);
    }
  }
  if (v.pauseReasons !== undefined) {
    if (!isRecord(v.pauseReasons)) q.push('pauseReasons must name the reasons for each clock');
    else {
      checkList(q, v.pauseReasons.response ?? [], 'pauseReasons.response', PAUSE_REASONS);
      checkList(q, v.pauseReasons.resolution ?? [], 'pauseReasons.resolution', PAUSE_REASONS);
      if (!Array.isArray(v.pauseReasons.response) || !Array.isArray(v.pauseReasons.resolution))
        q.push('pauseReasons needs a list for response and one for resolution');
    }
  }
  if (
    v.response !== undefined &&
    !['first-move', 'first-public-reply', 'first-assignment'].includes(v.response as string)
  )
    q.push('response must be first-move, first-public-reply or first-assignment');
  if (v.thresholds !== undefined) {
    const t = v.thresholds;
    const pct = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0 && x < 100;
    if (
      !isRecord(t) ||
      !pct(t.warning) ||
      !pct(t.atRisk) ||
      (t.warning as number) >= (t.atRisk as number)
    )
      q.push('thresholds need a warning and an at-risk percentage, 0 < warning < at risk < 100');
  }
  if (v.restartFrom !== undefined && v.restartFrom !== 'creation' && v.restartFrom !== 'change')
    q.push('restartFrom must be creation or change');
  if (v.pauseCapMs !== undefined && v.pauseCapMs !== null && !isPositiveMs(v.pauseCapMs))
    q.push('the pause cap must be a positive time or none');
  const label = typeof v.id === 'string' ? v.id : '?';
  for (const m of q) p.push(`policy ${label}: ${m}`);
}

/** Validates the calendars and policies of an SLA configuration. */
export function validateSlaSettings(doc: unknown): Validated<SlaConfig> {
  if (!isRecord(doc)) return { ok: false, errors: ['the SLA configuration must be an object'] };
  const p: Problems = [];
  const calendarIds = new Set<string>();
  if (!Array.isArray(doc.calendars) || doc.calendars.length === 0 || doc.calendars.length > 100)
    p.push('calendars must be a list of 1 to 100 calendars');
  else
    for (const c of doc.calendars as unknown[]) {
      const v = validateCalendar(c);
      const id = isRecord(c) && typeof c.id === 'string' ? c.id : '?';
      if (!v.ok) for (const e of v.errors) p.push(`calendar ${id}: ${e}`);
      else if (calendarIds.has(id)) p.push(`calendar ${id} appears twice`);
      else calendarIds.add(id);
    }
  if (!Array.isArray(doc.policies) || doc.policies.length > 2000)
    p.push('policies must be a list of at most 2000 policies');
  else {
    const ids = new Set<string>();
    for (const pol of doc.policies as unknown[]) {
      checkPolicy(p, pol, calendarIds);
      const id = isRecord(pol) ? pol.id : undefined;
      if (typeof id === 'string') {
        if (ids.has(id)) p.push(`policy ${id} appears twice`);
        ids.add(id);
      }
    }
  }
  return p.length > 0 ? { ok: false, errors: p } : { ok: true, value: doc as unknown as SlaConfig };
}

/** Validates a whole SLA configuration document. */
export function validateSlaConfigDoc(doc: unknown): Validated<SlaConfigDoc> {
  if (!isRecord(doc)) return { ok: false, errors: ['the SLA configuration must be an object'] };
  const p: Problems = [];
  if (doc.id !== SLA_CONFIG_ID || doc.type !== SLA_CONFIG_ID)
    p.push(`the SLA configuration has id and type "${SLA_CONFIG_ID}"`);
  checkString(p, doc.name, 'name', 0, 200);
  if (doc.schemaVersion !== SLA_CONFIG_SCHEMA_VERSION)
    p.push(`schemaVersion must be ${SLA_CONFIG_SCHEMA_VERSION}`);
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1)
    p.push('version must be a whole number from 1');
  checkString(p, doc.updatedAt, 'updatedAt', 1, 40);
  checkString(p, doc.updatedBy, 'updatedBy', 1, 200);
  const settings = validateSlaSettings(doc);
  if (!settings.ok) p.push(...settings.errors);
  return p.length > 0
    ? { ok: false, errors: p }
    : { ok: true, value: doc as unknown as SlaConfigDoc };
}

/** The engine's configuration from a stored document. */
export function slaConfigOf(doc: SlaConfigDoc): SlaConfig {
  return { calendars: doc.calendars, policies: doc.policies, version: doc.version };
}

/** True if `doc` is, or claims to be, the SLA configuration. */
export function isSlaConfigEntry(doc: Record<string, unknown> | null): boolean {
  return doc !== null && (doc.id === SLA_CONFIG_ID || doc.type === SLA_CONFIG_ID);
}

/**
 * The server's rule for a write of the SLA configuration by `user` (`oldDoc` null when it is
 * new): admins only, a valid document, and the version one more than the stored one.
 */
export function validateSlaConfigChange(
  oldDoc: Record<string, unknown> | null,
  newDoc: Record<string, unknown>,
  user: WriteUser,
): Verdict {
  if (!user.roles.includes('admin') && !user.roles.includes('_admin'))
    return { ok: false, reason: 'Only admins change the SLA configuration.' };
  const v = validateSlaConfigDoc(newDoc);
  if (!v.ok) return { ok: false, reason: v.errors.join('; ') };
  const before = oldDoc && typeof oldDoc.version === 'number' ? oldDoc.version : 0;
  if (v.value.version !== before + 1)
    return {
      ok: false,
      reason: `This change is to version ${before} of the SLA configuration; it must be saved as version ${before + 1}.`,
    };
  return { ok: true };
}

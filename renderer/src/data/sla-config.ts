/**
 * The desk's SLA configuration on this device: the directory's `sla-config` document (validated
 * as the server validates it) with the directory facts its policy conditions need (requesters'
 * sites and organisations, CIs' services). One live, shared observable per replica; every SLA
 * reading in the console (queue chips and filters, ticket panel, notifications, wallboard, field
 * view) uses what it emits, so they agree, and a change an admin saves on the server reaches open
 * consoles with the next pull. Null while the replica has no valid configuration yet.
 */
import { combineLatest, distinctUntilChanged, map, shareReplay, type Observable } from 'rxjs';
import {
  isKnownHolidayRegion,
  SLA_CONFIG_ID,
  slaConfigOf,
  validateSlaConfigDoc,
  type SlaConfig,
  type SlaConfigDoc,
  type SlaFacts,
} from '../../../shared/domain';
import type { DeskDatabase } from './database';
import { markPending } from './outbox';
import { observeDirectory, textOf, type DirectoryEntry } from './directory';

const cache = new WeakMap<DeskDatabase, Observable<SlaConfig | null>>();
const docCache = new WeakMap<DeskDatabase, Observable<SlaConfigDoc | null>>();

/** Problems with a configuration this device cannot use (beyond the shared rules). */
export function deviceProblems(doc: SlaConfigDoc): string[] {
  const out: string[] = [];
  for (const c of doc.calendars)
    if (c.kind === 'weekly' && c.publicHolidays && !isKnownHolidayRegion(c.publicHolidays))
      out.push(
        `calendar ${c.id}: no public holidays are known for ` +
          `${c.publicHolidays.country}${c.publicHolidays.region ? `/${c.publicHolidays.region}` : ''}`,
      );
  return out;
}

/** The stored SLA configuration document, validated (null when absent or unusable). */
export function observeSlaConfigDoc(db: DeskDatabase): Observable<SlaConfigDoc | null> {
  let obs = docCache.get(db);
  if (!obs) {
    obs = db.directory.findOne(SLA_CONFIG_ID).$.pipe(
      map((d) => {
        if (!d) return null;
        // A document the shared rules or this device refuse counts as none: the console shows
        // no SLA rather than a wrong one (the sync layer quarantines what the rules refuse).
        const v = validateSlaConfigDoc(d.toJSON());
        if (!v.ok || deviceProblems(v.value).length > 0) return null;
        return v.ok ? v.value : null;
      }),
      distinctUntilChanged(
        (a, b) =>
          a === b ||
          (a !== null &&
            b !== null &&
            a.version === b.version &&
            JSON.stringify(a) === JSON.stringify(b)),
      ),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    docCache.set(db, obs);
  }
  return obs;
}

type Needs = { sites: boolean; orgs: boolean; services: boolean };

function needsOf(doc: SlaConfigDoc): Needs {
  const has = (k: 'sites' | 'orgs' | 'services') =>
    doc.policies.some((p) => (p.conditions?.[k]?.length ?? 0) > 0);
  return { sites: has('sites'), orgs: has('orgs'), services: has('services') };
}

function factMap(entries: readonly DirectoryEntry[], field: (e: DirectoryEntry) => string) {
  const m = new Map<string, string>();
  for (const e of entries) {
    const v = field(e);
    if (v !== '') m.set(e.id, v);
  }
  return m;
}

const signature = (m: ReadonlyMap<string, string> | undefined): string =>
  m ? [...m].map(([k, v]) => `${k}=${v}`).join('\n') : '';

/** Facts for the conditions `needs` asks about (only those, so other edits change nothing). */
export function slaFactsOf(
  needs: Needs,
  people: readonly DirectoryEntry[],
  cis: readonly DirectoryEntry[],
): SlaFacts {
  return {
    ...(needs.sites
      ? { personSite: factMap(people, (p) => textOf(p.site) || textOf(p.location)) }
      : {}),
    ...(needs.orgs ? { personOrg: factMap(people, (p) => textOf(p.org)) } : {}),
    ...(needs.services ? { ciService: factMap(cis, (c) => textOf(c.service)) } : {}),
  };
}

/** The live SLA configuration for the engine (null until a valid one has arrived). */
export function observeSlaConfig(db: DeskDatabase): Observable<SlaConfig | null> {
  let obs = cache.get(db);
  if (!obs) {
    let last: { key: string; config: SlaConfig | null } | null = null;
    obs = combineLatest([
      observeSlaConfigDoc(db),
      observeDirectory(db, 'person'),
      observeDirectory(db, 'ci'),
    ]).pipe(
      map(([doc, people, cis]) => {
        if (doc === null) return null;
        const facts = slaFactsOf(needsOf(doc), people, cis);
        // The same configuration and facts give the same object, so memos keyed on it survive.
        const key = `${JSON.stringify(doc)}\n${signature(facts.personSite)}\n${signature(facts.personOrg)}\n${signature(facts.ciService)}`;
        if (last?.key === key) return last.config;
        const config: SlaConfig = { ...slaConfigOf(doc), facts };
        last = { key, config };
        return config;
      }),
      distinctUntilChanged(),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    cache.set(db, obs);
  }
  return obs;
}

/**
 * Saves `doc` (the next version, already validated) to this replica's directory; it reaches the
 * server with the next push, where validate_doc_update checks it again (admins only, version one
 * more than the stored one). A refusal lands on the Pending changes page, as every refused write.
 */
export async function saveSlaConfig(db: DeskDatabase, doc: SlaConfigDoc): Promise<void> {
  const plain = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  await db.directory.upsert(plain);
  await markPending(db, 'directory', SLA_CONFIG_ID, plain);
}

/** Writes the demo desk into the server with `_bulk_docs`, in chunks. */
import { databaseName, type DatabaseName } from '../../../shared/sync/databases';
import type { CouchAdmin } from './couch-admin';
import { demoDirectory } from './demo-directory';
import { demoTickets } from './demo-tickets';
import { createRng } from './random';

type Doc = Record<string, unknown>;

export type SeedOptions = {
  readonly tickets: number;
  readonly days: number;
  readonly seed: number;
  readonly now: number;
  /**
   * Generate the same desk on every day: the tickets are generated around a fixed moment of the
   * week (the latest Wednesday 10:00 UTC at or before `now`), then every time in them is moved
   * forward to `now`. The weekday curve makes the generator's choices depend on the day of the
   * week, so without this the states a test finds (which groups hold open incidents, which work
   * orders are assigned) change from one day to the next. Tests and benchmarks set it.
   */
  readonly sameEveryDay?: boolean;
};

const WEEK = 7 * 24 * 3600_000;
/** A Wednesday, 10:00 UTC. */
const WEEKLY_ANCHOR = Date.UTC(2026, 0, 7, 10);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The latest moment at or before `now` that falls on the weekly anchor. */
export function weeklyAnchor(now: number): number {
  return WEEKLY_ANCHOR + Math.floor((now - WEEKLY_ANCHOR) / WEEK) * WEEK;
}

/** `value` with every ISO time in it moved by `deltaMs`. */
function shiftTimes(value: unknown, deltaMs: number): unknown {
  if (typeof value === 'string')
    return ISO_TIME.test(value) ? new Date(Date.parse(value) + deltaMs).toISOString() : value;
  if (Array.isArray(value)) return value.map((v) => shiftTimes(v, deltaMs));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, shiftTimes(v, deltaMs)] as const),
    );
  return value;
}

/** The demo desk's documents: reference data and tickets, as `opts` asks for them. */
export function demoDesk(opts: SeedOptions): { directory: Doc[]; tickets: Doc[] } {
  const rng = createRng(opts.seed);
  const dir = demoDirectory(rng);
  const generatedAt = opts.sameEveryDay ? weeklyAnchor(opts.now) : opts.now;
  const generated = demoTickets(rng, {
    count: opts.tickets,
    days: opts.days,
    now: generatedAt,
    agents: dir.agents,
    technicians: dir.technicians,
    callers: dir.callers,
    cis: dir.cis,
    kb: dir.kb,
  });
  const tickets =
    generatedAt === opts.now
      ? generated
      : generated.map((t) => shiftTimes(t, opts.now - generatedAt) as Doc);
  return { directory: [...dir.docs], tickets };
}

/** Seeds reference data and tickets; returns how many documents were written per database. */
export async function seedDemoDesk(
  couch: CouchAdmin,
  prefix: string,
  opts: SeedOptions,
): Promise<Record<DatabaseName, number>> {
  const { directory, tickets } = demoDesk(opts);
  await bulkWrite(
    couch,
    databaseName(prefix, 'directory'),
    directory.map((d) => withId(d, 'id')),
  );
  await bulkWrite(
    couch,
    databaseName(prefix, 'tickets'),
    tickets.map((d) => withId(d, 'number')),
  );
  return { directory: directory.length, tickets: tickets.length, activity: 0 };
}

function withId(doc: Doc, primary: string): Doc {
  const { [primary]: id, ...rest } = doc;
  return { _id: id, ...rest };
}

/** Writes docs in chunks of 2,000, failing loudly if the server refuses any. */
export async function bulkWrite(
  couch: CouchAdmin,
  db: string,
  docs: readonly Doc[],
): Promise<void> {
  for (let i = 0; i < docs.length; i += 2000) {
    const chunk = docs.slice(i, i + 2000);
    const res = await couch.request<
      { id: string; ok?: boolean; error?: string; reason?: string }[]
    >('POST', `/${db}/_bulk_docs`, { docs: chunk });
    const failed = res.filter((r) => !r.ok && r.error !== 'conflict');
    if (failed.length > 0) {
      throw new Error(
        `${db}: ${failed.length} documents refused, first: ${failed[0]?.id}: ${failed[0]?.reason ?? failed[0]?.error}`,
      );
    }
  }
}

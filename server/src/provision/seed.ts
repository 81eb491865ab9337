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
};

/** Seeds reference data and tickets; returns how many documents were written per database. */
export async function seedDemoDesk(
  couch: CouchAdmin,
  prefix: string,
  opts: SeedOptions,
): Promise<Record<DatabaseName, number>> {
  const rng = createRng(opts.seed);
  const dir = demoDirectory(rng);
  const tickets = demoTickets(rng, {
    count: opts.tickets,
    days: opts.days,
    now: opts.now,
    agents: dir.agents,
    technicians: dir.technicians,
    callers: dir.callers,
    cis: dir.cis,
    kb: dir.kb,
  });
  await bulkWrite(
    couch,
    databaseName(prefix, 'directory'),
    dir.docs.map((d) => withId(d, 'id')),
  );
  await bulkWrite(
    couch,
    databaseName(prefix, 'tickets'),
    tickets.map((d) => withId(d, 'number')),
  );
  return { directory: dir.docs.length, tickets: tickets.length, activity: 0 };
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

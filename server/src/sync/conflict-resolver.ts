/**
 * Resolves revision conflicts (`_conflicts`) that other replicators leave on the server — two
 * CouchDB nodes, a PouchDB replica, an import — with the same three-way merge the clients use.
 * Tickets: every losing leaf is merged into the winner against their common ancestor (when the
 * server still has it), each lossy merge is recorded as conflict activity (deterministic ids),
 * then the losing leaves are deleted in the same `_bulk_docs`. Activity and reference data: the
 * winning revision stays, losing leaves are deleted. Runs as a server admin.
 */
import {
  conflictActivity,
  mergeTicket,
  validateTicket,
  type FieldConflict,
  type Ticket,
} from '../../../shared/domain';
import { databaseName, type DatabaseName } from '../../../shared/sync/databases';
import type { CouchAdmin } from '../provision/couch-admin';
import { createLogger } from '../log';

const log = createLogger('conflicts');
/** Who the resolver's conflict records name. */
export const RECORDER = 'switchboard-server';

type Doc = Record<string, unknown> & { _id: string; _rev: string };
type Revisions = { start: number; ids: string[] };

export type ConflictResolver = {
  /** Scans every database once from its last checkpoint; returns documents resolved. */
  readonly runOnce: () => Promise<number>;
  readonly resolved: () => number;
  readonly stop: () => Promise<void>;
};

const DATABASES: readonly DatabaseName[] = ['tickets', 'activity', 'directory'];

/** Starts resolving conflicts every `intervalMs` (0: only when runOnce is called). */
export function startConflictResolver(
  couch: CouchAdmin,
  prefix: string,
  opts: { intervalMs?: number } = {},
): ConflictResolver {
  const since = new Map<DatabaseName, string | number>();
  let resolved = 0;
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const scan = async (): Promise<number> => {
    let n = 0;
    for (const db of DATABASES) {
      const path = `/${databaseName(prefix, db)}`;
      for (;;) {
        const r = await couch.request<{
          results: { id: string; doc?: Doc & { _conflicts?: string[] } }[];
          last_seq: string | number;
        }>(
          'GET',
          `${path}/_changes?style=all_docs&conflicts=true&include_docs=true&limit=500&since=${encodeURIComponent(String(since.get(db) ?? 0))}`,
        );
        for (const row of r.results) {
          const doc = row.doc;
          if (!doc || row.id.startsWith('_design/') || !doc._conflicts?.length) continue;
          try {
            if (await resolveOne(couch, prefix, db, doc, doc._conflicts)) n += 1;
          } catch (err) {
            log.warn(`could not resolve ${db}/${row.id}: ${String(err)}`);
          }
        }
        since.set(db, r.last_seq);
        if (r.results.length < 500) break;
      }
    }
    resolved += n;
    if (n > 0) log.info(`resolved ${n} conflicted document(s)`);
    return n;
  };

  const runOnce = (): Promise<number> => {
    running ??= scan().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (): void => {
    if (stopped || !opts.intervalMs) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) => log.warn(`conflict scan failed: ${String(err)}`))
        .finally(schedule);
    }, opts.intervalMs);
  };
  schedule();

  return {
    runOnce,
    resolved: () => resolved,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

async function resolveOne(
  couch: CouchAdmin,
  prefix: string,
  db: DatabaseName,
  winner: Doc,
  losingRevs: readonly string[],
): Promise<boolean> {
  const path = `/${databaseName(prefix, db)}/${encodeURIComponent(winner._id)}`;
  const losers: Doc[] = [];
  for (const rev of losingRevs) {
    const r = await couch.tryRequest('GET', `${path}?rev=${encodeURIComponent(rev)}&revs=true`);
    if (r.status === 200) losers.push(r.body as Doc);
  }
  const writes: Record<string, unknown>[] = losers.map((l) => ({
    _id: l._id,
    _rev: l._rev,
    _deleted: true,
  }));
  if (db === 'tickets') {
    const withRevs = await couch.request<Doc>('GET', `${path}?rev=${winner._rev}&revs=true`);
    let merged = strip(winner) as unknown as Ticket;
    const conflicts: FieldConflict[] = [];
    for (const loser of losers) {
      const base = await commonAncestor(couch, path, withRevs, loser);
      const r = mergeTicket(base, merged, strip(loser) as unknown as Ticket);
      merged = r.merged;
      conflicts.push(...r.conflicts);
    }
    const checked = validateTicket(merged);
    if (!checked.ok) throw new Error(`merged ticket is invalid: ${checked.errors.join('; ')}`);
    const { number, ...body } = checked.value;
    writes.unshift({ ...body, _id: number, _rev: winner._rev });
    if (conflicts.length > 0) {
      // Recorded by the server itself (as server admin, so the name is not checked).
      const records = conflictActivity(number, conflicts, checked.value, RECORDER).map(
        ({ id, ...rest }) => ({
          ...rest,
          _id: id,
        }),
      );
      // Deterministic ids: a record another resolver or client already wrote answers 409, fine.
      await couch.request('POST', `/${databaseName(prefix, 'activity')}/_bulk_docs`, {
        docs: records,
      });
    }
  }
  const results = await couch.request<{ id: string; ok?: boolean; error?: string }[]>(
    'POST',
    `/${databaseName(prefix, db)}/_bulk_docs`,
    { docs: writes },
  );
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) throw new Error(failed.map((f) => f.error).join(', '));
  return true;
}

function strip(doc: Doc): Record<string, unknown> {
  const { _id, _rev: _r, _revisions: _v, _conflicts: _c, ...rest } = doc;
  return { ...rest, number: _id };
}

/** The newest revision both leaves descend from, if the server still has its body. */
async function commonAncestor(
  couch: CouchAdmin,
  path: string,
  a: Doc,
  b: Doc,
): Promise<Ticket | null> {
  const revsOf = (d: Doc): string[] => {
    const r = d._revisions as Revisions | undefined;
    return r ? r.ids.map((id, i) => `${r.start - i}-${id}`) : [];
  };
  const theirs = new Set(revsOf(b));
  const shared = revsOf(a).find((rev) => theirs.has(rev));
  if (!shared) return null;
  const r = await couch.tryRequest('GET', `${path}?rev=${encodeURIComponent(shared)}`);
  if (r.status !== 200) return null;
  const v = validateTicket(strip(r.body as Doc));
  return v.ok ? v.value : null;
}

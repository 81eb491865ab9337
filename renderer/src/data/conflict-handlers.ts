/**
 * RxDB conflict handlers. Tickets are merged field by field by the shared three-way merge (base =
 * the state this device last saw from the server); each lossy merge leaves a conflict record in
 * the activity stream. Activity entries are append-only and never conflict in content; reference
 * data belongs to supervisors, so the server's version wins.
 */
import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { mergeTicket, type Ticket, type FieldConflict } from '../../../shared/domain';
import { jsonEqual } from './deep-equal';

type Doc = Record<string, unknown>;

/** Receives the conflicts of each lossy ticket merge, to record them in activity. */
export type ConflictSink = (
  ticketNumber: string,
  conflicts: readonly FieldConflict[],
  merged: Ticket,
) => void;

/**
 * Per-replica conflict state: versions the server refused (the handler must not merge them back
 * in) and where lossy merges are reported. One per local database, so two replicas in one
 * process (tests, several accounts) never share it.
 */
export type ConflictContext = {
  readonly refused: Map<string, Doc>;
  sink: ConflictSink;
  /** A local version was settled without a push (the server's version is the result). */
  settled: (ticketNumber: string) => void;
};

/** A fresh conflict context whose sink does nothing until the replica sets it. */
export function createConflictContext(): ConflictContext {
  return { refused: new Map(), sink: () => undefined, settled: () => undefined };
}

/** Key of a refused local version. */
export function refusedKey(collection: string, docId: string): string {
  return `${collection}:${docId}`;
}

const isEqual = (a: WithDeleted<Doc>, b: WithDeleted<Doc>): boolean => jsonEqual(a, b);

/** Ticket conflicts: three-way field-level merge. */
export function ticketConflictHandler(ctx: ConflictContext): RxConflictHandler<Doc> {
  const refused = (doc: WithDeleted<Doc>): boolean => {
    const r = ctx.refused.get(refusedKey('tickets', String(doc.number)));
    return r !== undefined && jsonEqual({ ...r, _deleted: doc._deleted }, doc);
  };
  return {
    isEqual,
    resolve: (i) => {
      const remote = i.realMasterState;
      const local = i.newDocumentState;
      if (refused(local) || remote._deleted || local._deleted) {
        ctx.settled(String(remote.number ?? local.number));
        return Promise.resolve(remote);
      }
      const base =
        i.assumedMasterState && !i.assumedMasterState._deleted ? i.assumedMasterState : null;
      const { merged, conflicts } = mergeTicket(
        base as unknown as Ticket | null,
        local as unknown as Ticket,
        remote as unknown as Ticket,
      );
      if (conflicts.length > 0) ctx.sink(merged.number, conflicts, merged);
      const result = { ...(merged as unknown as Doc), _deleted: false };
      // Nothing of ours is left to push: the pending marker goes.
      if (jsonEqual(result, remote)) ctx.settled(merged.number);
      return Promise.resolve(result);
    },
  };
}

/** Server wins (append-only activity, reference data). */
export const serverWinsConflictHandler: RxConflictHandler<Doc> = {
  isEqual,
  resolve: (i) => Promise.resolve(i.realMasterState),
};

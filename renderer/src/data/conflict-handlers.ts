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

/** Versions the server refused: the conflict handler must not merge them back in. */
export const refusedVersions = new Map<string, Doc>();

/** Key of a refused local version. */
export function refusedKey(collection: string, docId: string): string {
  return `${collection}:${docId}`;
}

/** Receives the conflicts of each lossy ticket merge, to record them in activity. */
export type ConflictSink = (
  ticketNumber: string,
  conflicts: readonly FieldConflict[],
  merged: Ticket,
) => void;

let sink: ConflictSink = () => undefined;

/** Sets where lossy-merge conflicts are reported. */
export function setConflictSink(s: ConflictSink): void {
  sink = s;
}

const isEqual = (a: WithDeleted<Doc>, b: WithDeleted<Doc>): boolean => jsonEqual(a, b);

function refused(collection: string, doc: WithDeleted<Doc>, primary: string): boolean {
  const r = refusedVersions.get(refusedKey(collection, String(doc[primary])));
  if (!r) return false;
  return jsonEqual({ ...r, _deleted: doc._deleted }, doc);
}

/** Ticket conflicts: three-way field-level merge. */
export const ticketConflictHandler: RxConflictHandler<Doc> = {
  isEqual,
  resolve: (i) => {
    const remote = i.realMasterState;
    const local = i.newDocumentState;
    if (refused('tickets', local, 'number') || remote._deleted || local._deleted) {
      return Promise.resolve(remote);
    }
    const base =
      i.assumedMasterState && !i.assumedMasterState._deleted ? i.assumedMasterState : null;
    const { merged, conflicts } = mergeTicket(
      base as unknown as Ticket | null,
      local as unknown as Ticket,
      remote as unknown as Ticket,
    );
    if (conflicts.length > 0) sink(merged.number, conflicts, merged);
    return Promise.resolve({ ...(merged as unknown as Doc), _deleted: false });
  },
};

/** Server wins (append-only activity, reference data). */
export const serverWinsConflictHandler: RxConflictHandler<Doc> = {
  isEqual,
  resolve: (i) => Promise.resolve(i.realMasterState),
};

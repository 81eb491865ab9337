/** Reference data for the features: people, groups, CIs, knowledge articles, catalog items. */
import { map, shareReplay, type Observable } from 'rxjs';
import type { DeskDatabase } from './database';

/** The kinds of directory entries the console reads. */
export type DirectoryType = 'person' | 'group' | 'ci' | 'kb' | 'catalog-item';

/** One directory entry: id, type, display name and whatever else the document carries. */
export type DirectoryEntry = {
  readonly id: string;
  readonly type: DirectoryType;
  readonly name: string;
  readonly [field: string]: unknown;
};

const cache = new WeakMap<
  DeskDatabase,
  Map<DirectoryType, Observable<readonly DirectoryEntry[]>>
>();

/** Live list of the directory entries of `type`, sorted by name (one query per replica). */
export function observeDirectory(
  db: DeskDatabase,
  type: DirectoryType,
): Observable<readonly DirectoryEntry[]> {
  let byType = cache.get(db);
  if (!byType)
    cache.set(db, (byType = new Map<DirectoryType, Observable<readonly DirectoryEntry[]>>()));
  let obs = byType.get(type);
  if (!obs) {
    obs = db.directory.find({ selector: { type } }).$.pipe(
      map((docs) =>
        docs
          .map((d) => {
            const j = d.toJSON() as Record<string, unknown>;
            const entry: DirectoryEntry = {
              ...j,
              id: String(j.id),
              type,
              name: textOf(j.name) || String(j.id),
            };
            return entry;
          })
          .sort((a, b) => a.name.localeCompare(b.name)),
      ),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    byType.set(type, obs);
  }
  return obs;
}

/** A field of a directory entry as text ('' when it is absent or not text). */
export function textOf(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** A person's user name (their assignee id). */
export function usernameOf(p: DirectoryEntry): string {
  return textOf(p.username) || p.id.replace(/^person:/, '');
}

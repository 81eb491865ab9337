import { useMemo } from 'react';
import { useWorkspace } from './services';
import { useObservable } from './useObservable';
import { observeDirectory, type DirectoryEntry, type DirectoryType } from '../data/directory';

const NONE: readonly DirectoryEntry[] = [];

/** Live directory entries of `type` in the signed-in replica. */
export function useDirectory(type: DirectoryType): readonly DirectoryEntry[] {
  const { db } = useWorkspace();
  return useObservable(
    useMemo(() => observeDirectory(db, type), [db, type]),
    NONE,
  );
}

/** A name lookup over directory entries of `type` (falls back to the id). */
export function useDirectoryNames(type: DirectoryType): (id: string | null) => string {
  const entries = useDirectory(type);
  return useMemo(() => {
    const names = new Map(entries.map((e) => [e.id, e.name]));
    return (id) => (id === null ? '—' : (names.get(id) ?? id));
  }, [entries]);
}

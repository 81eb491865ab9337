/**
 * The signed-in workspace: local replica, sync controller and session, provided to every feature
 * through React context (synced data comes from the replica, never from a UI store).
 */
import { createContext, useContext } from 'react';
import type { DeskDatabase } from '../data/database';
import type { SyncController } from '../data/sync';
import type { QueueStore } from '../data/queue-store';
import type { PresenceClient } from '../data/presence';
import type { FileStore } from '../data/files';
import type { CiHistoryFeed } from '../data/ci-history';
import type { StaffSession } from '../data/session';

export type Workspace = {
  readonly db: DeskDatabase;
  readonly sync: SyncController;
  readonly queues: QueueStore;
  readonly presence: PresenceClient;
  readonly files: FileStore;
  readonly ciHistory: CiHistoryFeed | null;
  readonly session: StaffSession;
  readonly couchUrl: string;
  /** Database name prefix on the server (e.g. sb_). */
  readonly dbPrefix?: string;
  readonly signOut: () => Promise<void>;
};

export const WorkspaceContext = createContext<Workspace | null>(null);

/** The current workspace; only valid below the signed-in shell. */
export function useWorkspace(): Workspace {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace used outside the signed-in shell');
  return ws;
}

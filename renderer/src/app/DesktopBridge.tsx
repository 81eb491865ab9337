import { useEffect } from 'react';
import { useWorkspace } from './services';
import { getDesk } from '../platform/desk';
import { startDesktopBridge } from '../data/desktop-bridge';

/** Events the desktop shell asks the console to act on (open a ticket, start a new one). */
export const OPEN_TICKET_EVENT = 'switchboard:open-ticket';
export const NEW_TICKET_EVENT = 'switchboard:new-ticket';

/**
 * Runs the replica ↔ desktop-shell bridge for the signed-in workspace (renders nothing). Shell
 * requests to open a ticket or start a new one are re-dispatched as window events that the
 * console's views listen to.
 */
export function DesktopBridge() {
  const { db, sync, session } = useWorkspace();
  useEffect(
    () =>
      startDesktopBridge({
        db,
        sync,
        user: session.name,
        desk: getDesk(),
        onOpenTicket: (number) =>
          window.dispatchEvent(new CustomEvent(OPEN_TICKET_EVENT, { detail: { number } })),
        onNewTicket: (kind) =>
          window.dispatchEvent(new CustomEvent(NEW_TICKET_EVENT, { detail: { kind } })),
      }),
    [db, sync, session.name],
  );
  return null;
}

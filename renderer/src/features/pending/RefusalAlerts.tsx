/**
 * A refused change is shown where the user is: an alert under the top bar for as long as any
 * refusal waits, and on the ticket it concerns. Both lead to "Fix and resend" on the Pending
 * page; nothing here discards anything.
 */
import { useMemo } from 'react';
import { Alert, Button } from '@mui/material';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { useUi } from '../../app/ui-store';
import { observeRejections, type RejectedChange } from '../../data/pending';
import { observeRefusalsOf } from '../../data/refusals';

const NONE: readonly RejectedChange[] = [];

function subject(r: RejectedChange): string {
  if (r.store === 'tickets') return r.docId;
  return typeof r.doc.ticketNumber === 'string' ? `a note on ${r.doc.ticketNumber}` : r.docId;
}

/** The app-wide alert: how many changes the server refused, the latest reason, where to fix. */
export function RefusedAlert() {
  const { db } = useWorkspace();
  const refused = useObservable(
    useMemo(() => observeRejections(db), [db]),
    NONE,
  );
  const showPage = useUi((s) => s.showPage);
  const latest = refused[0];
  if (!latest) return null;
  return (
    <Alert
      severity="error"
      role="alert"
      data-testid="refused-alert"
      action={
        <Button color="inherit" size="small" onClick={() => showPage('pending')}>
          Fix and resend
        </Button>
      }
    >
      The server refused {refused.length === 1 ? 'a change' : `${refused.length} changes`} (
      {subject(latest)}: {latest.reason}). Nothing is lost: it is kept on this device until you
      resend or discard it.
    </Alert>
  );
}

/** On a ticket: each refused change to it or its activity, with the server's reason. */
export function TicketRefusals({ number }: { readonly number: string }) {
  const { db } = useWorkspace();
  const refused = useObservable(
    useMemo(() => observeRefusalsOf(db, number), [db, number]),
    NONE,
  );
  const showPage = useUi((s) => s.showPage);
  return (
    <>
      {refused.map((r) => (
        <Alert
          key={r.key}
          severity="error"
          data-testid="ticket-refusal"
          action={
            <Button color="inherit" size="small" onClick={() => showPage('pending')}>
              Fix and resend
            </Button>
          }
        >
          The server refused your {r.store === 'tickets' ? 'change to this ticket' : 'entry'}:{' '}
          {r.reason} It is kept on this device; this ticket shows the server&apos;s version until
          you resend it.
        </Alert>
      ))}
    </>
  );
}

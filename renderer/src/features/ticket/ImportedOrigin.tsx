import { Alert } from '@mui/material';
import { evaluateSla, type SlaConfig, type Ticket } from '../../../../shared/domain';

/**
 * Where an imported ticket came from, and the source tool's own SLA verdict beside what
 * Switchboard's policies compute from the imported history (they can differ: other targets,
 * other calendars).
 */
export function ImportedOrigin({
  ticket,
  now,
  config,
}: {
  readonly ticket: Ticket;
  readonly now: number;
  /** The desk's SLA configuration (null until it has loaded). */
  readonly config: SlaConfig | null;
}) {
  const imported = ticket.imported;
  if (!imported) return null;
  const source = imported.source === 'servicenow' ? 'ServiceNow' : imported.source;
  const theirs = (imported.sla as { made?: unknown } | undefined)?.made;
  const ours = config ? evaluateSla(ticket, now, config)?.resolution.status : undefined;
  const theirWord = theirs === true ? 'made' : theirs === false ? 'missed' : 'not recorded';
  const ourWord = ours === 'met' ? 'made' : ours === 'missed' ? 'missed' : 'still running';
  const differ =
    (theirs === true || theirs === false) &&
    (ours === 'met' || ours === 'missed') &&
    theirWord !== ourWord;
  return (
    <Alert severity={differ ? 'warning' : 'info'} data-testid="imported-origin">
      Imported from {source} {imported.number}
      {typeof imported.state === 'string' ? ` (${imported.state}` : ''}
      {typeof imported.priority === 'string'
        ? `, ${imported.priority})`
        : typeof imported.state === 'string'
          ? ')'
          : ''}
      . {source} SLA: {theirWord}; Switchboard&apos;s resolution target: {ourWord}
      {differ ? ' (they differ)' : ''}.
    </Alert>
  );
}

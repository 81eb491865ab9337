import { Chip } from '@mui/material';
import { evaluateSla, type Ticket } from '../../../../shared/domain';
import { useSlaConfig } from '../../app/useSlaConfig';

function human(ms: number): string {
  const abs = Math.abs(ms);
  const m = Math.round(abs / 60_000);
  const text =
    m < 60
      ? `${m}m`
      : m < 48 * 60
        ? `${Math.floor(m / 60)}h ${m % 60}m`
        : `${Math.floor(m / 1440)}d`;
  return ms < 0 ? `-${text}` : text;
}

/**
 * The SLA countdown of a ticket's running clock under the desk's SLA configuration: amber at the
 * policy's at-risk warning (75% by default), red at breach, "paused". Nothing until the
 * configuration has loaded.
 */
export function SlaChip({ ticket, now }: { readonly ticket: Ticket; readonly now: number }) {
  const config = useSlaConfig();
  const sla = config && evaluateSla(ticket, now, config);
  const clock = sla && (!sla.response.stopped ? sla.response : sla.resolution);
  if (!clock || clock.stopped) return null;
  if (clock.paused)
    return <Chip size="small" label="paused" variant="outlined" data-sla="paused" />;
  const state =
    clock.percent >= 100 ? 'breached' : clock.percent >= clock.warnings.atRisk ? 'warning' : 'ok';
  return (
    <Chip
      size="small"
      data-sla={state}
      data-due={clock.dueAt ?? undefined}
      color={state === 'breached' ? 'error' : state === 'warning' ? 'warning' : 'default'}
      variant={state === 'ok' ? 'outlined' : 'filled'}
      label={`${clock.clock === 'response' ? 'resp' : 'res'} ${human(clock.remainingMs)}`}
      title={`${clock.clock} target ${Math.round(clock.percent)}% used`}
    />
  );
}

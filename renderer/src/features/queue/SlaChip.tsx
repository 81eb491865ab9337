import { Chip } from '@mui/material';
import { formatSla, ticketSlaText, type SlaShown, type Ticket } from '../../../../shared/domain';
import { useSlaConfig } from '../../app/useSlaConfig';

/** The viewer's IANA time zone, in which every SLA due time is shown. */
export const viewerZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const COLOR = { breached: 'error', warning: 'warning', ok: 'default' } as const;

/**
 * The SLA of a ticket's most urgent running clock under the desk's SLA configuration, in the
 * words of shared/domain/sla-format.ts (short in the queue, long in the ticket panel; the long
 * text is the short one's tooltip): amber at the policy's at-risk warning (75% by default), red
 * once overdue, outlined while paused. Nothing until the configuration has loaded.
 */
export function SlaChip({
  ticket,
  now,
  variant = 'short',
}: {
  readonly ticket: Ticket;
  readonly now: number;
  readonly variant?: 'short' | 'long';
}) {
  const config = useSlaConfig();
  const shown = config && ticketSlaText(ticket, config, { now, zone: viewerZone(), variant });
  if (!shown) return null;
  return <SlaLabel shown={shown.shown} now={now} variant={variant} />;
}

/** The chip for a clock already read at `now` (the wallboard's lists). */
export function SlaLabel({
  shown,
  now,
  variant,
}: {
  readonly shown: SlaShown;
  readonly now: number;
  readonly variant: 'short' | 'long';
}) {
  const zone = viewerZone();
  const { text, state } = formatSla(shown, { now, zone, variant });
  if (state === 'stopped') return null;
  const long = variant === 'long' ? text : formatSla(shown, { now, zone, variant: 'long' }).text;
  return (
    <Chip
      size="small"
      data-sla={state}
      data-due={shown.reading.dueAt ?? undefined}
      data-clock={shown.reading.clock}
      color={state === 'paused' ? 'default' : COLOR[state]}
      variant={state === 'ok' || state === 'paused' ? 'outlined' : 'filled'}
      label={text}
      title={long}
      sx={
        variant === 'long'
          ? { height: 'auto', py: 0.25, '& .MuiChip-label': { whiteSpace: 'normal' } }
          : undefined
      }
    />
  );
}

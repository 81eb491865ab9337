import { Chip, Tooltip } from '@mui/material';
import type { SyncView } from '../../data/sync';
import { assertNever } from '../../../../shared/domain';

/** One chip that always says where sync stands: offline, syncing N, in sync or error. */
export function SyncIndicator({ view }: { readonly view: SyncView }) {
  const s = view.status;
  let label: string;
  let color: 'default' | 'success' | 'warning' | 'error' | 'info';
  let detail = '';
  switch (s.state) {
    case 'offline':
      label = view.pending > 0 ? `Offline · ${view.pending} pending` : 'Offline';
      color = 'warning';
      detail = 'Changes are saved on this device and sent when the server is reachable.';
      break;
    case 'connecting':
      label = 'Connecting…';
      color = 'info';
      break;
    case 'syncing':
      label = s.pending > 0 ? `Syncing ${s.pending}` : 'Syncing';
      color = 'info';
      break;
    case 'in-sync':
      label = 'In sync';
      color = 'success';
      break;
    case 'error':
      label = view.sessionExpired ? 'Sign in again' : 'Sync error';
      color = 'error';
      detail = s.reason;
      break;
    default:
      return assertNever(s);
  }
  const extras = [
    view.quarantined > 0 ? `${view.quarantined} quarantined` : '',
    view.rejected > 0 ? `${view.rejected} rejected by server` : '',
  ].filter(Boolean);
  // A refusal waits for the user: the chip is never green while one does.
  if (view.rejected > 0 && (color === 'success' || color === 'info')) color = 'error';
  return (
    <Tooltip describeChild title={[detail, ...extras].filter(Boolean).join(' · ') || label}>
      <Chip
        size="small"
        color={color}
        label={extras.length > 0 ? `${label} · ${extras.join(' · ')}` : label}
        data-testid="sync-status"
        data-state={s.state}
        role="status"
        aria-live="polite"
      />
    </Tooltip>
  );
}

import { useMemo, useState } from 'react';
import {
  Alert,
  Box,
  Chip,
  List,
  ListItemButton,
  ListItemText,
  ListSubheader,
  Stack,
  Typography,
} from '@mui/material';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { useSlaConfig } from '../../app/useSlaConfig';
import { lastInSyncAt, useSharedSyncView } from '../../app/useSharedSyncView';
import { observePendingTicketNumbers } from '../../data/tickets-repo';
import { FIELD_STATUS_LABELS } from '../../../../shared/field/field';
import type { QueueView } from '../../../../shared/queue';
import { WorkOrderPanel } from './WorkOrderPanel';

const NO_GROUPS: readonly string[] = [];
const NO_PENDING: ReadonlySet<string> = new Set();
const MY_WORK_ORDERS: QueueView = {
  id: 'my-work-orders',
  name: 'My work orders',
  filter: { kinds: ['workorder'], open: true, assignees: ['me'] },
  sort: { field: 'priority', dir: 'asc' },
};
const MY_DONE_WORK_ORDERS: QueueView = {
  id: 'my-done-work-orders',
  name: 'Done recently',
  filter: { kinds: ['workorder'], open: false, assignees: ['me'] },
  sort: { field: 'updatedAt', dir: 'desc' },
};

/**
 * The field technician's "My work": the work orders assigned to them, all on this device
 * (pulled ahead by the technicians' filtered replication), with how fresh the data is.
 */
export function FieldPage() {
  const { db, queues, session, sync, couchUrl } = useWorkspace();
  const version = useObservable(queues.version$, 0);
  const groupIds = useObservable(queues.groupIds$, NO_GROUPS);
  const pending = useObservable(
    useMemo(() => observePendingTicketNumbers(db), [db]),
    NO_PENDING,
  );
  const view = useSharedSyncView(sync, `${couchUrl}|${session.name}`);
  const [open, setOpen] = useState<string | null>(null);
  void version;
  const sla = useSlaConfig();
  const ctx = { me: session.name, groupIds, now: 0, sla };
  const rows = queues.index.rows(MY_WORK_ORDERS, ctx);
  const done = queues.index.rows(MY_DONE_WORK_ORDERS, ctx).slice(0, 20);
  const live = view.status.state === 'in-sync';
  const asOf = lastInSyncAt(`${couchUrl}|${session.name}`);
  const current = open ?? rows[0]?.number ?? null;

  return (
    <Box sx={{ display: 'flex', height: 'calc(100vh - 48px)' }} data-testid="field-page">
      <Box
        component="nav"
        aria-label="My work orders"
        sx={{ width: 340, borderRight: 1, borderColor: 'divider', overflow: 'auto' }}
      >
        <Stack spacing={1} sx={{ p: 2 }}>
          <Typography variant="h6" component="h2">
            My work ({rows.length})
          </Typography>
          <Alert severity={live ? 'success' : 'info'} data-testid="offline-ready">
            {rows.length} work order{rows.length === 1 ? '' : 's'} available offline on this device.{' '}
            {live
              ? 'Up to date.'
              : asOf
                ? `Data as of ${new Date(asOf).toLocaleString()}.`
                : 'Not synced yet in this session.'}
          </Alert>
        </Stack>
        {[
          { title: null, list: rows },
          { title: 'Done recently', list: done },
        ].map(({ title, list }) => (
          <List
            dense
            component="div"
            key={title ?? 'open'}
            subheader={title ? <ListSubheader component="div">{title}</ListSubheader> : undefined}
          >
            {list.map((t) => (
              <ListItemButton
                key={t.number}
                selected={t.number === current}
                onClick={() => setOpen(t.number)}
                data-testid="work-order-row"
                data-number={t.number}
              >
                <ListItemText
                  primary={`${t.number} · ${t.title}`}
                  secondary={`${t.workorder?.site || 'no site'} · ${FIELD_STATUS_LABELS[t.workorder?.fieldStatus ?? 'scheduled']}`}
                />
                {pending.has(t.number) && (
                  <Chip size="small" color="warning" variant="outlined" label="not synced" />
                )}
              </ListItemButton>
            ))}
          </List>
        ))}
      </Box>
      <Box sx={{ flex: 1, overflow: 'auto' }}>
        {current ? (
          <WorkOrderPanel key={current} number={current} />
        ) : (
          <Typography sx={{ p: 2 }}>No work orders assigned to you.</Typography>
        )}
      </Box>
    </Box>
  );
}

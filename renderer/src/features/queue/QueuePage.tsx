import { useMemo, useState } from 'react';
import { TicketPanel } from '../ticket/TicketPanel';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
  Chip,
} from '@mui/material';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import {
  observeRecentTickets,
  observeTicketCount,
  observePendingTicketNumbers,
} from '../../data/tickets-repo';
import type { Ticket } from '../../../../shared/domain';

const EMPTY: readonly Ticket[] = [];
const NO_PENDING: ReadonlySet<string> = new Set();

/** The queue: tickets from the local replica, newest activity first, live. */
export function QueuePage() {
  const { db } = useWorkspace();
  const tickets$ = useMemo(() => observeRecentTickets(db, 200), [db]);
  const count$ = useMemo(() => observeTicketCount(db), [db]);
  const pending$ = useMemo(() => observePendingTicketNumbers(db), [db]);
  const tickets = useObservable(tickets$, EMPTY);
  const count = useObservable(count$, 0);
  const pending = useObservable(pending$, NO_PENDING);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <Box sx={{ display: 'flex', alignItems: 'stretch', minHeight: 0 }}>
      <Box component="section" aria-labelledby="queue-title" sx={{ p: 2, flex: 3, minWidth: 0 }}>
        <Typography id="queue-title" variant="h6" component="h2" gutterBottom>
          Recently updated <span data-testid="queue-count">({count})</span>
        </Typography>
        <TableContainer>
          <Table size="small" aria-label="Tickets" data-testid="queue-table">
            <TableHead>
              <TableRow>
                <TableCell>Number</TableCell>
                <TableCell>Title</TableCell>
                <TableCell>Priority</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Updated</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {tickets.map((t) => (
                <TableRow
                  key={t.number}
                  data-testid="queue-row"
                  data-number={t.number}
                  hover
                  selected={open === t.number}
                  tabIndex={0}
                  aria-label={`Open ${t.number}`}
                  sx={{ cursor: 'pointer' }}
                  onClick={() => setOpen(t.number)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') setOpen(t.number);
                  }}
                >
                  <TableCell sx={{ fontFamily: 'monospace' }}>
                    {t.number}
                    {pending.has(t.number) && (
                      <Chip
                        size="small"
                        label="not synced"
                        variant="outlined"
                        color="warning"
                        sx={{ ml: 1 }}
                      />
                    )}
                  </TableCell>
                  <TableCell>{t.title}</TableCell>
                  <TableCell>P{t.priority}</TableCell>
                  <TableCell>{t.state}</TableCell>
                  <TableCell>{new Date(t.updatedAt).toLocaleString()}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </Box>
      {open && (
        <Box sx={{ flex: 2, minWidth: 360, borderLeft: 1, borderColor: 'divider' }}>
          <TicketPanel number={open} pending={pending.has(open)} onClose={() => setOpen(null)} />
        </Box>
      )}
    </Box>
  );
}

import { useMemo } from 'react';
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

  return (
    <Box component="section" aria-labelledby="queue-title" sx={{ p: 2 }}>
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
              <TableRow key={t.number} data-testid="queue-row" data-number={t.number} hover>
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
  );
}

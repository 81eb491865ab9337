import { useMemo } from 'react';
import { useSharedSyncView } from './useSharedSyncView';
import { AppBar, Box, Toolbar, Typography } from '@mui/material';
import { useWorkspace } from './services';
import { useObservable } from './useObservable';
import { observePendingTicketNumbers } from '../data/tickets-repo';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { TicketPanel } from '../features/ticket/TicketPanel';
import { CommandPalette, ShortcutsDialog } from '../features/palette/CommandPalette';
import { useGlobalShortcuts } from './ConsoleShell';

const NO_PENDING: ReadonlySet<string> = new Set();

/** A pop-out window with one ticket (route `#/ticket/<number>`), same replica and shortcuts. */
export function TicketWindow({ number }: { readonly number: string }) {
  const { db, sync, couchUrl, session } = useWorkspace();
  const view = useSharedSyncView(sync, `${couchUrl}|${session.name}`);
  const pending = useObservable(
    useMemo(() => observePendingTicketNumbers(db), [db]),
    NO_PENDING,
  );
  useGlobalShortcuts();
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', minHeight: '100vh' }}>
      <AppBar position="static" color="default" elevation={1}>
        <Toolbar variant="dense" sx={{ gap: 2 }}>
          <Typography variant="h6" component="h1" sx={{ flexGrow: 1 }}>
            Switchboard · {number}
          </Typography>
          <SyncIndicator view={view} />
        </Toolbar>
      </AppBar>
      <Box component="main" sx={{ maxWidth: 960, width: '100%', mx: 'auto' }}>
        <TicketPanel number={number} pending={pending.has(number)} />
      </Box>
      <CommandPalette />
      <ShortcutsDialog />
    </Box>
  );
}

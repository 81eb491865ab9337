import { useEffect, useMemo, useState } from 'react';
import { AppBar, Box, Button, Snackbar, Toolbar, Typography } from '@mui/material';
import { useWorkspace } from './services';
import { useObservable } from './useObservable';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { QueuePage } from '../features/queue/QueuePage';
import { CreateTicketDialog } from '../features/create/CreateTicketDialog';
import { DesktopBridge, NEW_TICKET_EVENT } from './DesktopBridge';
import type { SyncView } from '../data/sync';

const INITIAL: SyncView = {
  status: { state: 'connecting' },
  pending: 0,
  quarantined: 0,
  rejected: 0,
  sessionExpired: false,
};

/** The signed-in console: top bar with sync status, the queue, ticket creation. */
export function ConsoleShell() {
  const { sync, session, signOut } = useWorkspace();
  const view = useObservable(
    useMemo(() => sync.view$, [sync]),
    INITIAL,
  );
  const [creating, setCreating] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  useEffect(() => {
    const onNew = () => setCreating(true);
    window.addEventListener(NEW_TICKET_EVENT, onNew);
    return () => window.removeEventListener(NEW_TICKET_EVENT, onNew);
  }, []);

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', minHeight: '100vh' }}>
      <AppBar position="static" color="default" elevation={1}>
        <Toolbar variant="dense" sx={{ gap: 2 }}>
          <Typography variant="h6" component="h1" sx={{ flexGrow: 1 }}>
            Switchboard
          </Typography>
          <SyncIndicator view={view} />
          <Button variant="contained" onClick={() => setCreating(true)}>
            New ticket
          </Button>
          <Typography variant="body2" data-testid="signed-in-user">
            {session.name}
          </Typography>
          <Button onClick={() => void signOut()}>Sign out</Button>
        </Toolbar>
      </AppBar>
      <DesktopBridge />
      <Box component="main" sx={{ flexGrow: 1 }}>
        <QueuePage />
      </Box>
      <CreateTicketDialog
        open={creating}
        onClose={(created) => {
          setCreating(false);
          if (created) setToast(`Created ${created}`);
        }}
      />
      <Snackbar
        open={toast !== null}
        autoHideDuration={4000}
        onClose={() => setToast(null)}
        message={toast}
      />
    </Box>
  );
}

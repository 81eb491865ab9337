import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { useSharedSyncView } from './useSharedSyncView';
import {
  AppBar,
  CssBaseline,
  ThemeProvider,
  Badge,
  Box,
  Button,
  IconButton,
  Snackbar,
  Toolbar,
  Tooltip,
  Typography,
} from '@mui/material';
import { useWorkspace } from './services';
import { useObservable } from './useObservable';
import { startUserSession, useUi } from './ui-store';
import { runShortcut, shortcutOf, typingTarget, useCommands, type Command } from './commands';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { QueuePage } from '../features/queue/QueuePage';
import { PendingPage } from '../features/pending/PendingPage';
import { RefusedAlert } from '../features/pending/RefusalAlerts';
import { StaffPage } from '../features/staff/StaffPage';
import { TemplatesPage } from '../features/templates/TemplatesPage';
import { FieldPage } from '../features/field/FieldPage';
import { WallboardPage } from '../features/wallboard/WallboardPage';
import { canImport, ImportPage } from '../features/import/ImportPage';
import { SlaSettingsPage } from '../features/sla/SlaSettingsPage';
import { wallTheme } from './theme';
import { CommandPalette, ShortcutsDialog } from '../features/palette/CommandPalette';
import { CreateTicketDialog, CREATABLE_KINDS } from '../features/create/CreateTicketDialog';
import { DesktopBridge, NEW_TICKET_EVENT } from './DesktopBridge';
import { isTicketKind, type TicketKind } from '../../../shared/domain';

/** Global shortcuts: Ctrl/Cmd+K and `?` anywhere; single keys only outside text fields. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const key = shortcutOf(e);
      if (!key) return;
      const ui = useUi.getState();
      if (key === 'mod+k') {
        ui.setPalette(!ui.paletteOpen);
        e.preventDefault();
        return;
      }
      if (ui.paletteOpen || ui.shortcutsOpen || typingTarget(e.target)) return;
      // A dialog (transition, create, bulk) owns the keyboard while it is open.
      if (document.querySelector('[role="dialog"]')) return;
      if (runShortcut(key)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * The signed-in console: top bar, queues, pending changes or the wallboard, palette and
 * shortcuts. In wall mode (the `#/wallboard` window) it opens on the wallboard, full screen in
 * the dark wall theme; a drill-down leads into the normal console in the same window.
 */
export function ConsoleShell({
  wallMode = false,
  notice = null,
}: {
  readonly wallMode?: boolean;
  /** A message to show once when the console opens. */
  readonly notice?: string | null;
}) {
  const { sync, session, signOut, couchUrl } = useWorkspace();
  const view = useSharedSyncView(sync, `${couchUrl}|${session.name}`);
  const workOffline = useObservable(sync.workOffline$, false);
  const page = useUi((s) => s.page);
  const showPage = useUi((s) => s.showPage);
  const themeMode = useUi((s) => s.themeMode);
  const setThemeMode = useUi((s) => s.setThemeMode);
  const setPalette = useUi((s) => s.setPalette);
  const setShortcuts = useUi((s) => s.setShortcuts);
  const [creating, setCreating] = useState<TicketKind | null>(null);
  const [toast, setToast] = useState<string | null>(notice);
  const openTicket = useUi((s) => s.openTicket);
  useGlobalShortcuts();
  // Open tabs, the selected view and unsent drafts are this user's, kept on this device.
  useLayoutEffect(() => startUserSession(session.name), [session.name]);
  const fieldWorker = session.roles.includes('technician');
  useEffect(() => {
    if (wallMode) useUi.getState().showPage('wallboard');
    // A technician's console opens on their own work.
    else if (fieldWorker) useUi.getState().showPage('field');
  }, [wallMode, fieldWorker]);
  useEffect(() => {
    const onNew = (e: Event) => {
      const kind = (e as CustomEvent<{ kind?: unknown }>).detail?.kind;
      setCreating(isTicketKind(kind) && kind !== 'workorder' ? kind : 'incident');
    };
    window.addEventListener(NEW_TICKET_EVENT, onNew);
    return () => window.removeEventListener(NEW_TICKET_EVENT, onNew);
  }, []);

  const dark = themeMode === 'dark';
  const unsettled = view.pending + view.rejected + view.quarantined;
  const commands = useMemo(
    (): readonly Command[] => [
      ...CREATABLE_KINDS.map((k): Command => ({
        id: `create:${k.value}`,
        group: 'Create',
        label: `New ${k.label.toLowerCase()}`,
        ...(k.value === 'incident' ? { keys: 'c' } : {}),
        run: () => setCreating(k.value),
      })),
      {
        id: 'nav:queue',
        group: 'Navigate',
        label: 'Go to queues',
        keys: 'g',
        run: () => showPage('queue'),
      },
      {
        id: 'nav:wallboard',
        group: 'Navigate',
        label: 'Go to the wallboard',
        keys: 'b',
        run: () => showPage('wallboard'),
      },
      {
        id: 'nav:pending',
        group: 'Navigate',
        label: 'Go to pending changes and conflicts',
        keys: 'p',
        run: () => showPage('pending'),
      },
      { id: 'app:sync', group: 'App', label: 'Sync now', run: () => sync.syncNow() },
      {
        id: 'app:offline',
        group: 'App',
        label: workOffline ? 'Stop working offline' : 'Work offline',
        run: () => sync.setWorkOffline(!workOffline),
      },
      {
        id: 'app:theme',
        group: 'App',
        label: dark ? 'Switch to light theme' : 'Switch to dark theme',
        keys: 't',
        run: () => setThemeMode(dark ? 'light' : 'dark'),
      },
      {
        id: 'app:theme-system',
        group: 'App',
        label: 'Follow the system theme',
        run: () => setThemeMode('system'),
      },
      {
        id: 'app:shortcuts',
        group: 'App',
        label: 'Keyboard shortcuts',
        keys: '?',
        run: () => setShortcuts(true),
      },
      { id: 'app:sign-out', group: 'App', label: 'Sign out', run: () => void signOut() },
    ],
    [sync, workOffline, dark, showPage, setThemeMode, setShortcuts, signOut],
  );
  useCommands('app', commands);

  if (wallMode && page === 'wallboard')
    return (
      <ThemeProvider theme={wallTheme}>
        <CssBaseline />
        <DesktopBridge />
        <WallboardPage wallMode />
        <CommandPalette />
        <ShortcutsDialog />
      </ThemeProvider>
    );

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', minHeight: '100vh' }}>
      <AppBar position="static" color="default" elevation={1}>
        <Toolbar variant="dense" sx={{ gap: 1.5 }}>
          <Typography variant="h6" component="h1">
            Switchboard
          </Typography>
          <Box component="nav" aria-label="Pages" sx={{ display: 'flex', gap: 0.5, flexGrow: 1 }}>
            {fieldWorker && (
              <Button
                onClick={() => showPage('field')}
                aria-current={page === 'field' ? 'page' : undefined}
                variant={page === 'field' ? 'outlined' : 'text'}
                data-testid="nav-field"
              >
                My work orders
              </Button>
            )}
            <Button
              onClick={() => showPage('queue')}
              aria-current={page === 'queue' ? 'page' : undefined}
              variant={page === 'queue' ? 'outlined' : 'text'}
            >
              Queues
            </Button>
            <Button
              onClick={() => showPage('wallboard')}
              aria-current={page === 'wallboard' ? 'page' : undefined}
              variant={page === 'wallboard' ? 'outlined' : 'text'}
              data-testid="nav-wallboard"
            >
              Wallboard
            </Button>
            {canImport(session.roles) && (
              <Button
                onClick={() => showPage('import')}
                aria-current={page === 'import' ? 'page' : undefined}
                variant={page === 'import' ? 'outlined' : 'text'}
                data-testid="nav-import"
              >
                Import
              </Button>
            )}
            <Button
              onClick={() => showPage('pending')}
              aria-current={page === 'pending' ? 'page' : undefined}
              variant={page === 'pending' ? 'outlined' : 'text'}
              data-testid="nav-pending"
            >
              <Badge
                color="warning"
                badgeContent={unsettled}
                max={999}
                sx={{ pr: unsettled ? 1.5 : 0 }}
              >
                Pending changes
              </Badge>
            </Button>
            {session.roles.includes('admin') && (
              <>
                <Button
                  onClick={() => showPage('staff')}
                  aria-current={page === 'staff' ? 'page' : undefined}
                  variant={page === 'staff' ? 'outlined' : 'text'}
                  data-testid="nav-staff"
                >
                  Staff
                </Button>
                <Button
                  onClick={() => showPage('templates')}
                  aria-current={page === 'templates' ? 'page' : undefined}
                  variant={page === 'templates' ? 'outlined' : 'text'}
                  data-testid="nav-templates"
                >
                  Templates
                </Button>
                <Button
                  onClick={() => showPage('sla')}
                  aria-current={page === 'sla' ? 'page' : undefined}
                  variant={page === 'sla' ? 'outlined' : 'text'}
                  data-testid="nav-sla"
                >
                  SLA settings
                </Button>
              </>
            )}
          </Box>
          <SyncIndicator view={view} />
          <Button
            size="small"
            variant={workOffline ? 'contained' : 'text'}
            color={workOffline ? 'warning' : 'inherit'}
            aria-pressed={workOffline}
            onClick={() => sync.setWorkOffline(!workOffline)}
          >
            Work offline
          </Button>
          <Tooltip describeChild title="Command palette (Ctrl+K)">
            <Button size="small" onClick={() => setPalette(true)}>
              Commands
            </Button>
          </Tooltip>
          <Tooltip describeChild title={dark ? 'Light theme (T)' : 'Dark theme (T)'}>
            <IconButton
              aria-label={dark ? 'Switch to light theme' : 'Switch to dark theme'}
              onClick={() => setThemeMode(dark ? 'light' : 'dark')}
              size="small"
            >
              {dark ? '☀' : '☾'}
            </IconButton>
          </Tooltip>
          <Button variant="contained" onClick={() => setCreating('incident')}>
            New ticket
          </Button>
          <Typography variant="body2" data-testid="signed-in-user">
            {session.name}
          </Typography>
          <Button onClick={() => void signOut()}>Sign out</Button>
        </Toolbar>
      </AppBar>
      <DesktopBridge />
      <RefusedAlert />
      <Box component="main" sx={{ flexGrow: 1 }}>
        {page === 'field' ? (
          <FieldPage />
        ) : page === 'pending' ? (
          <PendingPage />
        ) : page === 'import' && canImport(session.roles) ? (
          <ImportPage />
        ) : page === 'staff' && session.roles.includes('admin') ? (
          <StaffPage />
        ) : page === 'templates' && session.roles.includes('admin') ? (
          <TemplatesPage />
        ) : page === 'sla' ? (
          <SlaSettingsPage />
        ) : page === 'wallboard' ? (
          <WallboardPage wallMode={false} />
        ) : (
          <QueuePage />
        )}
      </Box>
      <CreateTicketDialog
        open={creating !== null}
        kind={creating ?? 'incident'}
        onClose={(created) => {
          setCreating(null);
          if (created) {
            setToast(`Created ${created}`);
            openTicket(created);
          }
        }}
      />
      <CommandPalette />
      <ShortcutsDialog />
      <Snackbar
        open={toast !== null}
        autoHideDuration={4000}
        onClose={() => setToast(null)}
        message={toast}
      />
    </Box>
  );
}

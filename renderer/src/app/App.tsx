import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Box,
  CircularProgress,
  CssBaseline,
  ThemeProvider,
  Typography,
  useMediaQuery,
} from '@mui/material';
import { getDesk } from '../platform/desk';
import {
  changeOwnPassword,
  currentSession,
  mustChangePassword,
  signIn,
  signOut,
  type StaffSession,
} from '../data/session';
import { openWorkspace, type OpenWorkspace } from '../data/workspace';
import { NetworkError, onPasswordChangeRequired } from '../data/couch-http';
import { LoginPage } from '../features/auth/LoginPage';
import { NewPasswordPage } from '../features/auth/NewPasswordPage';
import { ConsoleShell } from './ConsoleShell';
import { WorkspaceContext, type Workspace } from './services';
import { deskTheme } from './theme';
import { useUi } from './ui-store';
import { TicketWindow } from './TicketWindow';
import { parseWindowRoute } from '../../../shared/ipc/window-routes';
import type { ClientConfig } from '../../../shared/ipc/contract';

const LAST_SESSION_KEY = 'switchboard.lastSession';

type Phase =
  | { readonly kind: 'loading'; readonly message?: string }
  | { readonly kind: 'fatal'; readonly message: string }
  | { readonly kind: 'signed-out'; readonly notice?: string }
  /** Signed in with a password an admin reset: a new one first (mustChangePassword). */
  | { readonly kind: 'new-password'; readonly session: StaffSession }
  | { readonly kind: 'ready'; readonly session: StaffSession; readonly ws: OpenWorkspace };

function rememberSession(s: StaffSession | null): void {
  if (s) localStorage.setItem(LAST_SESSION_KEY, JSON.stringify(s));
  else localStorage.removeItem(LAST_SESSION_KEY);
}

function lastSession(): StaffSession | null {
  try {
    const raw = localStorage.getItem(LAST_SESSION_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as { name?: unknown; roles?: unknown };
    return typeof v.name === 'string' && Array.isArray(v.roles)
      ? { name: v.name, roles: v.roles.filter((r): r is string => typeof r === 'string') }
      : null;
  } catch {
    return null;
  }
}

/** Boots the console: configuration, session (or offline start), local replica, sync. */
export function App() {
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)');
  const themeMode = useUi((s) => s.themeMode);
  const mode = themeMode === 'system' ? (prefersDark ? 'dark' : 'light') : themeMode;
  const theme = useMemo(() => deskTheme(mode), [mode]);
  // A pop-out window shows one ticket (the hash is fixed for the window's life).
  const [route] = useState(() => parseWindowRoute(location.hash));
  const [config, setConfig] = useState<ClientConfig | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [shell, setShell] = useState<'electron' | 'web'>('web');
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    void getDesk()
      .invoke('app:get-info')
      .then((i) => setShell(i.shell));
  }, []);

  const enter = useCallback(async (cfg: ClientConfig, session: StaffSession) => {
    performance.mark('sb:session');
    const ws = await openWorkspace(cfg.couchUrl, cfg.dbPrefix, session, {
      // A new version opening an older replica migrates it first (once).
      onMigration: ({ handled, total }) =>
        setPhase({
          kind: 'loading',
          message: `Updating this device's copy of the desk for the new version: ${handled.toLocaleString()} of ${total.toLocaleString()} documents.`,
        }),
    });
    performance.mark('sb:replica-open');
    rememberSession(session);
    setPhase({ kind: 'ready', session, ws });
  }, []);

  /** Enters online, unless the account must set a new password first. */
  const enterOnline = useCallback(
    async (cfg: ClientConfig, session: StaffSession) => {
      if (await mustChangePassword(cfg.couchUrl, session.name)) {
        setPhase({ kind: 'new-password', session });
        return;
      }
      await enter(cfg, session);
    },
    [enter],
  );

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const cfg = await getDesk().invoke('config:get-client');
      // Start-up milestones, read by `npm run bench` (live: first rows).
      performance.mark('sb:config');
      if (cancelled) return;
      setConfig(cfg);
      try {
        let session = await currentSession(cfg.couchUrl);
        if (!session) {
          // The desktop app may remember a sign-in (encrypted by the OS keychain); its main
          // process signs in with it, so the password never comes to this window.
          const saved = await getDesk()
            .invoke('credentials:sign-in')
            .catch(() => null);
          if (saved) session = await currentSession(cfg.couchUrl).catch(() => null);
        }
        if (session) await enterOnline(cfg, session);
        else setPhase({ kind: 'signed-out' });
      } catch (err) {
        // Offline start: the replica on this device is usable without the server.
        const last = lastSession();
        if (err instanceof NetworkError && last) await enter(cfg, last);
        else
          setPhase({
            kind: 'signed-out',
            notice: err instanceof Error ? err.message : String(err),
          });
      }
    })().catch((err: unknown) => {
      setPhase({ kind: 'fatal', message: err instanceof Error ? err.message : String(err) });
    });
    return () => {
      cancelled = true;
    };
  }, [enter, enterOnline]);

  // A session remembered from before an admin's reset meets the server's "set a new password
  // first" (the embedded server's gateway): leave the console for the new-password form. Sync
  // stops first; pending changes stay on this device and go once the password is set.
  useEffect(() => {
    if (phase.kind !== 'ready') return;
    const { ws, session } = phase;
    let fired = false;
    return onPasswordChangeRequired(() => {
      if (fired) return;
      fired = true;
      void ws
        .close()
        .catch(() => undefined)
        .then(() => setPhase({ kind: 'new-password', session }));
    });
  }, [phase]);

  const workspace: Workspace | null = useMemo(() => {
    if (phase.kind !== 'ready' || !config) return null;
    return {
      db: phase.ws.db,
      sync: phase.ws.sync,
      queues: phase.ws.queues,
      presence: phase.ws.presence,
      files: phase.ws.files,
      ciHistory: phase.ws.ciHistory,
      session: phase.session,
      couchUrl: config.couchUrl,
      dbPrefix: config.dbPrefix,
      signOut: async () => {
        // Sync stops first: an answer still on its way would renew the session cookie.
        await phase.ws.close();
        await signOut(config.couchUrl).catch(() => undefined);
        // Signing out forgets a remembered sign-in too.
        await getDesk()
          .invoke('credentials:clear')
          .catch(() => undefined);
        rememberSession(null);
        setPhase({ kind: 'signed-out' });
      },
    };
  }, [phase, config]);

  let body: React.ReactNode;
  switch (phase.kind) {
    case 'loading':
      body = (
        <Box
          sx={{
            display: 'grid',
            placeItems: 'center',
            alignContent: 'center',
            gap: 2,
            minHeight: '100vh',
          }}
        >
          <CircularProgress aria-label="Loading" />
          {phase.message && (
            <Typography role="status" color="text.secondary">
              {phase.message}
            </Typography>
          )}
        </Box>
      );
      break;
    case 'fatal':
      body = <Alert severity="error">{phase.message}</Alert>;
      break;
    case 'signed-out':
      body = (
        <LoginPage
          notice={phase.notice}
          canRemember={shell === 'electron'}
          onSignIn={async (name, password, remember) => {
            if (!config) throw new Error('Configuration not loaded yet.');
            const session = await signIn(config.couchUrl, name, password);
            if (remember) {
              const saved = await getDesk().invoke('credentials:save', {
                account: name,
                secret: password,
              });
              if (!saved.ok) setNotice(`Your sign-in was not remembered: ${saved.reason ?? ''}`);
            }
            await enterOnline(config, session);
          }}
        />
      );
      break;
    case 'new-password':
      body = (
        <NewPasswordPage
          name={phase.session.name}
          onSetPassword={async (password) => {
            if (!config) throw new Error('Configuration not loaded yet.');
            await enter(
              config,
              await changeOwnPassword(config.couchUrl, phase.session.name, password),
            );
          }}
          onSignOut={() => {
            void signOut(config?.couchUrl ?? '/').catch(() => undefined);
            setPhase({ kind: 'signed-out' });
          }}
        />
      );
      break;
    case 'ready':
      body = workspace && (
        <WorkspaceContext.Provider value={workspace}>
          {route.view === 'ticket' ? (
            <TicketWindow number={route.number} />
          ) : (
            <ConsoleShell wallMode={route.view === 'wallboard'} notice={notice} />
          )}
        </WorkspaceContext.Provider>
      );
      break;
  }

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      {body}
    </ThemeProvider>
  );
}

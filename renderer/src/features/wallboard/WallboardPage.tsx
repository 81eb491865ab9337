import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { lastInSyncAt, useSharedSyncView } from '../../app/useSharedSyncView';
import {
  Alert,
  Box,
  Button,
  ButtonBase,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Stack,
  Switch,
  Tab,
  Tabs,
  TextField,
  Typography,
} from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { useUi, type Drill, type WallSettings } from '../../app/ui-store';
import { useDirectoryNames } from '../../app/useDirectory';
import { useNow } from '../../app/useNow';
import { openWallWindow } from '../../platform/wall-window';
import { getDesk } from '../../platform/desk';
import { startWallboard, type WallboardSnapshot } from '../../data/wallboard-store';
import {
  AT_RISK_DRILL,
  BREACHED_DRILL,
  WALLBOARD_PRIORITIES,
  backlogDrill,
  tileStatus,
  type SlaAlert,
  type TileStatus,
  type Wallboard,
} from '../../../../shared/wallboard';
import { formatSla } from '../../../../shared/domain';
import { viewerZone } from '../queue/SlaChip';

const VIEWS = [
  { id: 'service', label: 'Service levels' },
  { id: 'backlog', label: 'Backlog' },
  { id: 'team', label: 'Team' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

function pct(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

/** Wall-clock time since an instant (major incidents; SLA times come from the SLA formatter). */
function countdown(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const m = Math.floor(Math.abs(ms) / 60_000);
  return m < 60
    ? `${sign}${m}m`
    : `${sign}${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

const STATUS_BG: Record<TileStatus, string | undefined> = {
  ok: undefined,
  amber: 'warning.dark',
  red: 'error.dark',
};

/** One tile: a title, a big value, colour by status, click to drill down. */
function Tile({
  title,
  value,
  status = 'ok',
  sub,
  onClick,
  testId,
  children,
  span = 1,
}: {
  readonly title: string;
  readonly value?: ReactNode;
  readonly status?: TileStatus;
  readonly sub?: ReactNode;
  readonly onClick?: () => void;
  readonly testId: string;
  readonly children?: ReactNode;
  readonly span?: number;
}) {
  const body = (
    <Box sx={{ p: 2, width: '100%', textAlign: 'left' }}>
      <Typography variant="overline" component="h3" sx={{ fontSize: '1rem', lineHeight: 1.4 }}>
        {title}
      </Typography>
      {value !== undefined && (
        <Typography
          sx={{ fontSize: '3.2rem', fontWeight: 700, lineHeight: 1.1 }}
          data-testid={`${testId}-value`}
        >
          {value}
        </Typography>
      )}
      {sub && <Typography sx={{ fontSize: '1.05rem', opacity: 0.85 }}>{sub}</Typography>}
      {children}
    </Box>
  );
  const sx = {
    gridColumn: `span ${span}`,
    bgcolor: STATUS_BG[status] ?? 'background.paper',
    color: status === 'ok' ? 'text.primary' : '#fff',
    borderRadius: 2,
    border: 1,
    borderColor: 'divider',
    display: 'flex',
    alignItems: 'stretch',
    minHeight: 150,
  };
  return onClick ? (
    <ButtonBase
      onClick={onClick}
      sx={sx}
      data-testid={testId}
      data-status={status}
      aria-label={`${title}: open the matching queue`}
    >
      {body}
    </ButtonBase>
  ) : (
    <Box sx={sx} data-testid={testId} data-status={status} component="section" aria-label={title}>
      {body}
    </Box>
  );
}

function AlertList({
  items,
  now,
  onOpen,
  testId,
}: {
  readonly items: readonly SlaAlert[];
  readonly now: number;
  readonly onOpen: (n: string) => void;
  readonly testId: string;
}) {
  if (items.length === 0) return <Typography sx={{ opacity: 0.7 }}>None.</Typography>;
  return (
    <Box component="ol" sx={{ listStyle: 'none', p: 0, m: 0 }} data-testid={testId}>
      {items.map((a) => (
        <Box
          component="li"
          key={a.number}
          sx={{ display: 'flex', gap: 1, py: 0.25, fontSize: '1.05rem' }}
        >
          <Button
            size="small"
            color="inherit"
            onClick={() => onOpen(a.number)}
            sx={{ fontFamily: 'monospace', p: 0, minWidth: 0, fontSize: '1rem' }}
          >
            {a.number}
          </Button>
          <Box sx={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            P{a.priority} · {a.title}
          </Box>
          <Box
            sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: 700, whiteSpace: 'nowrap' }}
            data-sla-text
            title={formatSla(a.shown, { now, zone: viewerZone(), variant: 'long' }).text}
          >
            {formatSla(a.shown, { now, zone: viewerZone(), variant: 'short' }).text}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

/** The tiles of one view. */
function Tiles({
  view,
  b,
  settings,
  drill,
  open,
}: {
  readonly view: ViewId | 'all';
  readonly b: Wallboard;
  readonly settings: WallSettings;
  readonly drill: (d: Drill) => void;
  readonly open: (n: string) => void;
}) {
  const group = useDirectoryNames('group');
  const person = useDirectoryNames('person');
  const complianceStatus = tileStatus(b.compliance.now.overall.rate, {
    amber: settings.complianceAmber,
    red: settings.complianceRed,
    direction: 'lower-is-worse',
  });
  const breachedStatus = tileStatus(b.breached.total, {
    amber: settings.breachedAmber,
    red: settings.breachedRed,
    direction: 'higher-is-worse',
  });
  const show = (v: ViewId) => view === 'all' || view === v;
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))',
        gap: 2,
      }}
    >
      {show('service') && (
        <>
          <Tile
            testId="tile-compliance-now"
            title="SLA compliance now"
            value={pct(b.compliance.now.overall.rate)}
            status={complianceStatus}
            sub={`${b.compliance.now.overall.compliant} of ${b.compliance.now.overall.measured} open tickets within target`}
            onClick={() => drill({ name: 'Wallboard: breached', filter: BREACHED_DRILL })}
          />
          <Tile
            testId="tile-compliance-today"
            title="Resolved within SLA today"
            value={pct(b.compliance.today.overall.rate)}
            sub={`${b.compliance.today.overall.compliant} of ${b.compliance.today.overall.measured} resolved today`}
          />
          <Tile
            testId="tile-breached"
            title="Breached"
            value={b.breached.total}
            status={breachedStatus}
            span={2}
            onClick={() => drill({ name: 'Wallboard: breached', filter: BREACHED_DRILL })}
          >
            <AlertList
              items={b.breached.items.slice(0, 6)}
              now={b.now}
              onOpen={open}
              testId="breached-list"
            />
          </Tile>
          <Tile
            testId="tile-at-risk"
            title="At risk (75%+ of target)"
            value={b.atRisk.total}
            status={b.atRisk.total > 0 ? 'amber' : 'ok'}
            span={2}
            onClick={() =>
              drill({
                name: 'Wallboard: at risk',
                filter: AT_RISK_DRILL,
              })
            }
          >
            <AlertList
              items={b.atRisk.items.slice(0, 6)}
              now={b.now}
              onOpen={open}
              testId="at-risk-list"
            />
          </Tile>
          <Tile testId="tile-compliance-priority" title="Compliance now by priority">
            <Box component="table" sx={{ fontSize: '1.1rem', width: '100%' }}>
              <tbody>
                {b.compliance.now.byPriority
                  .filter((c) => c.measured > 0)
                  .map((c) => (
                    <tr key={c.priority}>
                      <td>P{c.priority}</td>
                      <td style={{ textAlign: 'right' }}>{pct(c.rate)}</td>
                      <td style={{ textAlign: 'right', opacity: 0.7 }}>{c.measured} open</td>
                    </tr>
                  ))}
              </tbody>
            </Box>
          </Tile>
          <Tile testId="tile-compliance-group" title="Compliance now by group">
            <Box component="table" sx={{ fontSize: '1.1rem', width: '100%' }}>
              <tbody>
                {[...b.compliance.now.byGroup]
                  .sort((x, y) => (x.rate ?? 1) - (y.rate ?? 1))
                  .slice(0, 6)
                  .map((c) => (
                    <tr key={c.groupId}>
                      <td>{group(c.groupId)}</td>
                      <td style={{ textAlign: 'right' }}>{pct(c.rate)}</td>
                    </tr>
                  ))}
              </tbody>
            </Box>
          </Tile>
        </>
      )}
      {show('backlog') && (
        <>
          <Tile
            testId="tile-open"
            title="Open tickets"
            value={b.openTotal}
            onClick={() => drill({ name: 'Wallboard: all open', filter: backlogDrill(null, null) })}
          />
          <Tile testId="tile-flow" title="Created vs resolved">
            <Box
              component="table"
              sx={{ fontSize: '1.3rem', width: '100%' }}
              data-testid="flow-table"
            >
              <thead>
                <tr>
                  <th />
                  <th style={{ textAlign: 'right' }}>created</th>
                  <th style={{ textAlign: 'right' }}>resolved</th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ['30 min', b.flow.last30m],
                    ['60 min', b.flow.last60m],
                    ['today', b.flow.today],
                  ] as const
                ).map(([label, f]) => (
                  <tr key={label}>
                    <td style={{ whiteSpace: 'nowrap' }}>{label}</td>
                    <td
                      style={{ textAlign: 'right' }}
                      data-testid={`flow-created-${label.replace(' ', '')}`}
                    >
                      {f.created}
                    </td>
                    <td style={{ textAlign: 'right' }}>{f.resolved}</td>
                  </tr>
                ))}
              </tbody>
            </Box>
          </Tile>
          <Tile testId="tile-age" title="Age of open tickets" span={2}>
            <BarChart
              height={220}
              xAxis={[{ scaleType: 'band', data: b.ageBands.map((a) => a.label) }]}
              series={[{ data: b.ageBands.map((a) => a.count), label: 'open tickets' }]}
              hideLegend
            />
          </Tile>
          <Tile testId="tile-backlog" title="Backlog by group and priority" span={2}>
            <Box
              component="table"
              sx={{ fontSize: '1.1rem', width: '100%', borderCollapse: 'collapse' }}
            >
              <thead>
                <tr>
                  <th style={{ textAlign: 'left' }}>Group</th>
                  {WALLBOARD_PRIORITIES.map((p) => (
                    <th key={p} style={{ textAlign: 'right' }}>
                      P{p}
                    </th>
                  ))}
                  <th style={{ textAlign: 'right' }}>All</th>
                </tr>
              </thead>
              <tbody>
                {b.backlog.rows.map((r) => (
                  <tr key={r.groupId}>
                    <td>{group(r.groupId)}</td>
                    {r.cells.map((c) => (
                      <td key={c.priority} style={{ textAlign: 'right' }}>
                        {c.count === 0 ? (
                          <span style={{ opacity: 0.4 }}>0</span>
                        ) : (
                          <Button
                            size="small"
                            color="inherit"
                            sx={{ minWidth: 0, fontSize: '1.05rem', p: 0 }}
                            data-testid="backlog-cell"
                            data-group={r.groupId}
                            data-priority={c.priority}
                            aria-label={`${group(r.groupId)} P${c.priority}: ${c.count} open`}
                            onClick={() =>
                              drill({
                                name: `Wallboard: ${group(r.groupId)} P${c.priority}`,
                                filter: c.drill,
                              })
                            }
                          >
                            {c.count}
                          </Button>
                        )}
                      </td>
                    ))}
                    <td style={{ textAlign: 'right', fontWeight: 700 }}>{r.total}</td>
                  </tr>
                ))}
              </tbody>
            </Box>
          </Tile>
        </>
      )}
      {show('team') && (
        <>
          <Tile testId="tile-agents" title="Agent load (open assignments)" span={2}>
            <Box component="ol" sx={{ listStyle: 'none', p: 0, m: 0, columns: 2 }}>
              {b.agents.slice(0, 16).map((a) => (
                <Box
                  component="li"
                  key={a.assigneeId}
                  sx={{ display: 'flex', gap: 1, fontSize: '1.1rem' }}
                >
                  <Box
                    component="span"
                    aria-label={a.online ? 'online' : 'offline'}
                    sx={{ color: a.online ? 'success.main' : 'text.disabled' }}
                  >
                    ●
                  </Box>
                  <Button
                    size="small"
                    color="inherit"
                    sx={{ p: 0, minWidth: 0, fontSize: '1.05rem', textTransform: 'none' }}
                    onClick={() =>
                      drill({
                        name: `Wallboard: ${person(`person:${a.assigneeId}`)}`,
                        filter: { open: true, assignees: [a.assigneeId] },
                      })
                    }
                  >
                    {person(`person:${a.assigneeId}`)}
                  </Button>
                  <Box sx={{ ml: 'auto', fontWeight: 700 }}>{a.open}</Box>
                </Box>
              ))}
            </Box>
          </Tile>
          <Tile
            testId="tile-major"
            title="Major incidents"
            value={b.majorIncidents.length}
            status={b.majorIncidents.length > 0 ? 'red' : 'ok'}
          >
            {b.majorIncidents.slice(0, 4).map((m) => (
              <Box key={m.number} sx={{ fontSize: '1.05rem' }}>
                <Button
                  size="small"
                  color="inherit"
                  onClick={() => open(m.number)}
                  sx={{ p: 0, minWidth: 0, fontFamily: 'monospace' }}
                >
                  {m.number}
                </Button>{' '}
                {m.title} · {m.openChildren}/{m.allChildren} children open ·{' '}
                {countdown(m.msSinceDeclared)} since declared
              </Box>
            ))}
          </Tile>
          <Tile
            testId="tile-quality"
            title="Today: reopen rate · first-contact resolution"
            value={`${pct(b.quality.reopenRate)} · ${pct(b.quality.fcrRate)}`}
            sub={`${b.quality.reopenedToday ?? '—'} reopened of ${b.quality.resolvedToday} resolved; FCR ${b.quality.fcrCount} of ${b.quality.fcrEligible} incidents and requests`}
          />
        </>
      )}
    </Box>
  );
}

function WallSettingsDialog({ onClose }: { readonly onClose: () => void }) {
  const wall = useUi((s) => s.wall);
  const setWall = useUi((s) => s.setWall);
  const [draft, setDraft] = useState(wall);
  const [error, setError] = useState<string | null>(null);
  const num = (k: keyof WallSettings, label: string, help: string) => (
    <TextField
      label={label}
      type="number"
      value={String(draft[k])}
      onChange={(e) => setDraft({ ...draft, [k]: Number(e.target.value) })}
      helperText={help}
    />
  );
  const save = () => {
    const d = draft;
    if (!(d.rotateSeconds === 0 || (d.rotateSeconds >= 5 && d.rotateSeconds <= 3600)))
      return setError('Rotation: 0 (off) or 5 to 3600 seconds.');
    if (!(d.complianceRed < d.complianceAmber && d.complianceAmber <= 1 && d.complianceRed >= 0))
      return setError('Compliance thresholds: 0 ≤ red < amber ≤ 1 (e.g. 0.8 and 0.9).');
    if (!(d.breachedAmber >= 1 && d.breachedRed >= d.breachedAmber))
      return setError('Breached thresholds: 1 ≤ amber ≤ red.');
    setWall(d);
    onClose();
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="wall-settings-title">
      <DialogTitle id="wall-settings-title">Wallboard settings</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1, minWidth: 360 }}>
          {error && <Alert severity="error">{error}</Alert>}
          {num('rotateSeconds', 'Rotate views every (seconds)', '0 turns rotation off')}
          {num('complianceAmber', 'Compliance amber below', 'a share, e.g. 0.9 = 90%')}
          {num('complianceRed', 'Compliance red below', 'a share, e.g. 0.8 = 80%')}
          {num('breachedAmber', 'Breached amber from', 'tickets')}
          {num('breachedRed', 'Breached red from', 'tickets')}
          <FormControlLabel
            control={
              <Switch
                checked={draft.notifyOnRed}
                onChange={(e) => setDraft({ ...draft, notifyOnRed: e.target.checked })}
              />
            }
            label="Desktop notification when a tile turns red"
          />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={save}>
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The supervisors' wallboard: live tiles from the local replica; wall mode rotates views. */
export function WallboardPage({ wallMode }: { readonly wallMode: boolean }) {
  const { db, queues, presence, sync, session, couchUrl } = useWorkspace();
  const feed = useMemo(() => startWallboard(db, queues, presence.reports$), [db, queues, presence]);
  useEffect(() => () => feed.stop(), [feed]);
  const snap = useObservable<WallboardSnapshot | null>(feed.snapshot$, null);
  const syncView = useSharedSyncView(sync, `${couchUrl}|${session.name}`);
  const settings = useUi((s) => s.wall);
  const showDrill = useUi((s) => s.showDrill);
  const openTicket = useUi((s) => s.openTicket);
  const now = useNow(1000);
  const [view, setView] = useState<ViewId | 'all'>(wallMode ? 'service' : 'all');
  const [editing, setEditing] = useState(false);
  const live = syncView.status.state === 'in-sync';
  const lastInSync = lastInSyncAt(`${couchUrl}|${session.name}`);

  // Wall mode rotates through the views.
  useEffect(() => {
    if (!wallMode || settings.rotateSeconds === 0 || view === 'all') return;
    const t = setTimeout(() => {
      const i = VIEWS.findIndex((v) => v.id === view);
      setView(VIEWS[(i + 1) % VIEWS.length]!.id);
    }, settings.rotateSeconds * 1000);
    return () => clearTimeout(t);
  }, [wallMode, settings.rotateSeconds, view]);

  // Optional desktop notification when a tile turns red.
  const wasRed = useRef<{ compliance: boolean; breached: boolean }>({
    compliance: false,
    breached: false,
  });
  useEffect(() => {
    if (!snap) return;
    const b = snap.board;
    const red = {
      compliance:
        tileStatus(b.compliance.now.overall.rate, {
          amber: settings.complianceAmber,
          red: settings.complianceRed,
          direction: 'lower-is-worse',
        }) === 'red',
      breached:
        tileStatus(b.breached.total, {
          amber: settings.breachedAmber,
          red: settings.breachedRed,
          direction: 'higher-is-worse',
        }) === 'red',
    };
    if (settings.notifyOnRed) {
      if (red.compliance && !wasRed.current.compliance)
        void getDesk().invoke('notifications:show', {
          title: 'SLA compliance is red',
          body: `${pct(b.compliance.now.overall.rate)} of open tickets within target.`,
        });
      if (red.breached && !wasRed.current.breached)
        void getDesk().invoke('notifications:show', {
          title: 'Breached tickets',
          body: `${b.breached.total} open tickets are past their SLA target.`,
        });
    }
    wasRed.current = red;
  }, [snap, settings]);

  const [wallNotice, setWallNotice] = useState<string | null>(null);
  const fullScreen = () => {
    const desk = getDesk();
    if (wallMode) void document.documentElement.requestFullscreen?.().catch(() => undefined);
    // Electron's main process opens and places the wall window; a browser tab does it itself.
    else if (desk.send) {
      desk.send('windows:open-wallboard', {});
      setWallNotice('The wallboard opened in its own window.');
    } else void openWallWindow().then(setWallNotice);
  };

  return (
    <Box
      sx={{ p: 2, minHeight: wallMode ? '100vh' : undefined, bgcolor: 'background.default' }}
      data-testid="wallboard"
      data-computed-ms={snap ? snap.computedInMs.toFixed(1) : undefined}
    >
      <Stack
        direction="row"
        spacing={2}
        sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap' }}
        useFlexGap
      >
        <Typography variant="h4" component="h2" sx={{ fontWeight: 700 }}>
          Service desk
        </Typography>
        <Tabs
          value={view}
          onChange={(_, v: ViewId | 'all') => setView(v)}
          aria-label="Wallboard views"
          sx={{ flexGrow: 1 }}
        >
          <Tab value="all" label="All" />
          {VIEWS.map((v) => (
            <Tab key={v.id} value={v.id} label={v.label} />
          ))}
        </Tabs>
        <Typography
          data-testid="data-as-of"
          role="status"
          sx={{
            fontSize: '1.1rem',
            color: live ? 'success.main' : 'warning.main',
            fontWeight: 600,
          }}
        >
          {live
            ? `Live · ${new Date(now).toLocaleTimeString()}`
            : lastInSync
              ? `Data as of ${new Date(lastInSync).toLocaleString()} (${syncView.status.state})`
              : `Data as of the last sync (${syncView.status.state})`}
        </Typography>
        <Button onClick={fullScreen}>{wallMode ? 'Full screen' : 'Open on a second screen'}</Button>
        <Button onClick={() => setEditing(true)}>Settings</Button>
      </Stack>
      {wallNotice && (
        <Alert
          severity="info"
          role="status"
          data-testid="wall-window-notice"
          onClose={() => setWallNotice(null)}
          sx={{ mb: 2 }}
        >
          {wallNotice}
        </Alert>
      )}
      {!snap ? (
        <Typography>Loading the replica…</Typography>
      ) : (
        <Tiles view={view} b={snap.board} settings={settings} drill={showDrill} open={openTicket} />
      )}
      {editing && <WallSettingsDialog onClose={() => setEditing(false)} />}
    </Box>
  );
}

import { Fragment, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Chip,
  IconButton,
  List,
  ListItemButton,
  ListItemText,
  ListSubheader,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { useSlaConfig } from '../../app/useSlaConfig';
import { useUi } from '../../app/ui-store';
import { useCommands, type Command } from '../../app/commands';
import {
  observePendingTicketNumbers,
  updateTicket,
  addActivity,
  moveTicket,
} from '../../data/tickets-repo';
import {
  BUILT_IN_VIEWS,
  rowsFromNewest,
  validateView,
  type QueueContext,
  type QueueView,
} from '../../../../shared/queue';
import type { Ticket } from '../../../../shared/domain';
import { TicketPanel } from '../ticket/TicketPanel';
import { SlaChip } from './SlaChip';
import { ViewEditor } from './ViewEditor';
import { BulkActions, type BulkOps } from './BulkActions';
import { OPEN_TICKET_EVENT } from '../../app/DesktopBridge';

const NO_PENDING: ReadonlySet<string> = new Set();
const NO_GROUPS: readonly string[] = [];
const NO_VIEWS: readonly QueueView[] = [];
const NO_ROWS: readonly Ticket[] = [];
const ROW = 36;
/** Id of the queue's search box (the `/` shortcut focuses it). */
export const QUEUE_SEARCH_ID = 'queue-search';

/** This user's saved views, each checked again (storage is not trusted). */
function useSavedViews(user: string): readonly QueueView[] {
  const raw = useUi((s) => s.savedViews[user] ?? NO_VIEWS);
  return useMemo(
    () =>
      raw.flatMap((v) => {
        const r = validateView(v);
        return r.ok ? [r.view] : [];
      }),
    [raw],
  );
}

/** How many tickets a bulk action changes at once. */
const BULK_AT_ONCE = 8;

/** Tickets under the current view, live, virtualized; keyboard-first triage and bulk actions. */

export function QueuePage() {
  const { db, session, queues } = useWorkspace();
  const version = useObservable(queues.version$, 0);
  const preview = useObservable(queues.preview$, null);
  const loading = version === 0;
  const groupIds = useObservable(queues.groupIds$, NO_GROUPS);
  const pending = useObservable(
    useMemo(() => observePendingTicketNumbers(db), [db]),
    NO_PENDING,
  );
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  const viewId = useUi((s) => s.viewId);
  const showView = useUi((s) => s.showView);
  const tabs = useUi((s) => s.tabs);
  const activeTab = useUi((s) => s.activeTab);
  const openTicket = useUi((s) => s.openTicket);
  const closeTicket = useUi((s) => s.closeTicket);
  const saveView = useUi((s) => s.saveView);
  const deleteView = useUi((s) => s.deleteView);
  const saved = useSavedViews(session.name);
  const [editing, setEditing] = useState<QueueView | 'new' | null>(null);
  const [text, setText] = useState('');
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<string | null>(null);
  const sla = useSlaConfig();
  const ctx: QueueContext = useMemo(
    () => ({ me: session.name, groupIds, now, sla }),
    [session.name, groupIds, now, sla],
  );
  const drill = useUi((s) => s.drill);
  const showDrill = useUi((s) => s.showDrill);
  const views = useMemo(() => [...BUILT_IN_VIEWS, ...saved], [saved]);
  const drillView: QueueView | null = drill
    ? {
        id: 'drill',
        name: drill.name,
        filter: drill.filter,
        sort: { field: 'priority', dir: 'asc' },
      }
    : null;
  const base = drillView ?? views.find((v) => v.id === viewId) ?? BUILT_IN_VIEWS[0]!;
  const view: QueueView = text.trim()
    ? { ...base, filter: { ...base.filter, text: text.trim() } }
    : base;
  // Re-read on every change version; the index answers from memory.
  void version;
  const rows = loading
    ? preview
      ? rowsFromNewest(preview, view, ctx)
      : NO_ROWS
    : queues.index.rows(view, ctx);
  const counts = loading ? null : views.map((v) => queues.index.count(v, ctx));

  useEffect(() => {
    const onOpen = (e: Event) => openTicket((e as CustomEvent<{ number: string }>).detail.number);
    window.addEventListener(OPEN_TICKET_EVENT, onOpen);
    return () => window.removeEventListener(OPEN_TICKET_EVENT, onOpen);
  }, [openTicket]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler in this app
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  const at = Math.min(cursor, Math.max(0, rows.length - 1));
  const current = rows[at];

  const targets: readonly Ticket[] =
    selected.size > 0
      ? [...selected].flatMap((n) => {
          const t = queues.index.get(n);
          return t ? [t] : [];
        })
      : current
        ? [current]
        : [];
  const bulk = async (label: string, op: (n: string) => Promise<unknown>) => {
    const list = targets.map((t) => t.number);
    let failed = 0;
    let done = 0;
    if (list.length > 1) setMessage(`${label}: 0 of ${list.length}…`);
    // A few at a time: each ticket's changes run in turn anyway, and the replica's writes for
    // different tickets overlap instead of waiting for one another.
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const n = list[next++]!;
        await op(n).catch(() => (failed += 1));
        done += 1;
        if (list.length > 1 && done < list.length)
          setMessage(`${label}: ${done} of ${list.length}…`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_AT_ONCE, list.length) }, worker));
    setSelected(new Set());
    setMessage(
      failed > 0
        ? `${label}: ${list.length - failed} done, ${failed} refused (see the ticket for why).`
        : `${label}: ${list.length} ticket${list.length === 1 ? '' : 's'}.`,
    );
  };
  const ops: BulkOps = {
    assignToMe: () =>
      void bulk('Assigned to you', (n) =>
        updateTicket(db, n, { assigneeId: session.name }, session.name),
      ),
    assignTo: (user) =>
      void bulk(`Assigned to ${user}`, (n) =>
        updateTicket(db, n, { assigneeId: user }, session.name),
      ),
    setLevels: (impact, urgency) =>
      void bulk('Priority set', (n) => updateTicket(db, n, { impact, urgency }, session.name)),
    move: (to, input) =>
      void bulk(`Moved to ${to}`, (n) => moveTicket(db, n, to, input, session.name)),
    note: (body) =>
      void bulk('Note added', (n) =>
        addActivity(db, { ticketNumber: n, type: 'work-note', by: session.name, body, data: {} }),
      ),
  };

  const pick = (id: string) => {
    showView(id);
    setCursor(0);
    setSelected(new Set());
  };
  const commands = useMemo(
    (): readonly Command[] => [
      ...views.map((v): Command => ({
        id: `view:${v.id}`,
        group: 'Navigate',
        label: `Go to queue: ${v.name}`,
        run: () => pick(v.id),
      })),
      { id: 'view:new', group: 'Queue', label: 'New saved view…', run: () => setEditing('new') },
      {
        id: 'queue:search',
        group: 'Queue',
        label: 'Search the queue',
        keys: '/',
        run: () => document.getElementById(QUEUE_SEARCH_ID)?.focus(),
      },
      {
        id: 'queue:focus',
        group: 'Queue',
        label: 'Focus the ticket list',
        keys: 'q',
        run: () => scrollRef.current?.focus(),
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- pick only uses stable setters
    [views],
  );
  useCommands('queue', commands);

  const toggle = (n: string) => {
    const s = new Set(selected);
    if (s.has(n)) s.delete(n);
    else s.add(n);
    setSelected(s);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const move = (d: number) => {
      const next = Math.max(0, Math.min(rows.length - 1, at + d));
      setCursor(next);
      virtualizer.scrollToIndex(next);
    };
    if (e.key === 'j' || e.key === 'ArrowDown') move(1);
    else if (e.key === 'k' || e.key === 'ArrowUp') move(-1);
    else if (e.key === 'Enter' && current) openTicket(current.number);
    else if (e.key === 'x' && current) toggle(current.number);
    else if (e.key === 'a') ops.assignToMe();
    else if (e.key === 'Escape') setSelected(new Set());
    else return;
    // Handled here: the console's global shortcuts must not act on it too.
    e.preventDefault();
  };

  return (
    <Box sx={{ display: 'flex', alignItems: 'stretch', height: 'calc(100vh - 48px)' }}>
      <Box
        component="nav"
        aria-label="Queues"
        sx={{ width: 220, borderRight: 1, borderColor: 'divider', overflow: 'auto' }}
      >
        <List dense component="div">
          {views.map((v, i) => (
            <Fragment key={v.id}>
              {i === BUILT_IN_VIEWS.length && <ListSubheader>Saved views</ListSubheader>}
              <ListItemButton
                selected={v.id === base.id}
                onClick={() => pick(v.id)}
                data-testid={`view-${v.id}`}
              >
                <ListItemText primary={v.name} />
                <Chip
                  size="small"
                  label={counts ? counts[i] : '…'}
                  aria-label={counts ? undefined : 'counting'}
                  data-testid={`view-count-${v.id}`}
                />
              </ListItemButton>
            </Fragment>
          ))}
        </List>
        <Stack spacing={1} sx={{ p: 1 }}>
          <Button size="small" variant="outlined" onClick={() => setEditing('new')}>
            New view
          </Button>
          {base.id.startsWith('custom-') && (
            <Button size="small" onClick={() => setEditing(base)}>
              Edit “{base.name}”
            </Button>
          )}
        </Stack>
      </Box>
      <Box
        component="section"
        aria-labelledby="queue-title"
        sx={{ p: 2, flex: 3, minWidth: 0, display: 'flex', flexDirection: 'column' }}
      >
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
          <Typography id="queue-title" variant="h6" component="h2">
            {base.name} <span data-testid="queue-count">({rows.length})</span>
          </Typography>
          {drill && (
            <Chip
              label="From the wallboard"
              color="info"
              onDelete={() => showDrill(null)}
              data-testid="drill-chip"
            />
          )}
          <TextField
            id={QUEUE_SEARCH_ID}
            size="small"
            label="Search"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setCursor(0);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape' || e.key === 'Enter') scrollRef.current?.focus();
            }}
          />
          <Box sx={{ flexGrow: 1 }} />
          {selected.size > 0 && <Typography variant="body2">{selected.size} selected</Typography>}
          <BulkActions targets={targets} ops={ops} />
        </Stack>
        {loading && (
          <Typography variant="body2" color="text.secondary" data-testid="queue-loading">
            Loading the queue from this device…
          </Typography>
        )}
        {message && (
          <Alert severity="info" onClose={() => setMessage(null)} sx={{ mb: 1 }}>
            {message}
          </Alert>
        )}
        <Box
          role="grid"
          aria-label="Tickets"
          aria-rowcount={rows.length}
          aria-multiselectable
          tabIndex={0}
          onKeyDown={onKey}
          data-testid="queue-table"
          ref={scrollRef}
          sx={{
            flexGrow: 1,
            overflow: 'auto',
            outline: 'none',
            '&:focus-visible': { boxShadow: 2 },
          }}
        >
          <Box sx={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const t = rows[item.index]!;
              const isSel = selected.has(t.number);
              return (
                <Box
                  key={t.number}
                  role="row"
                  aria-rowindex={item.index + 1}
                  aria-selected={isSel}
                  data-testid="queue-row"
                  data-number={t.number}
                  data-cursor={item.index === at ? 'true' : undefined}
                  onClick={(e) => {
                    setCursor(item.index);
                    if (e.shiftKey || e.metaKey || e.ctrlKey) toggle(t.number);
                    else openTicket(t.number);
                  }}
                  sx={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW,
                    transform: `translateY(${item.start}px)`,
                    display: 'grid',
                    gridTemplateColumns:
                      '32px 150px minmax(120px, 1fr) 36px 96px 84px minmax(110px, 220px)',
                    alignItems: 'center',
                    gap: 1,
                    px: 1,
                    cursor: 'pointer',
                    borderBottom: 1,
                    borderColor: 'divider',
                    bgcolor:
                      item.index === at ? 'action.selected' : isSel ? 'action.hover' : undefined,
                  }}
                >
                  <Box role="gridcell">
                    <Checkbox
                      size="small"
                      checked={isSel}
                      onClick={(e) => e.stopPropagation()}
                      onChange={() => toggle(t.number)}
                      slotProps={{ input: { 'aria-label': `Select ${t.number}` } }}
                    />
                  </Box>
                  <Box role="gridcell" sx={{ fontFamily: 'monospace', fontSize: 13 }}>
                    {t.number}
                    {pending.has(t.number) && (
                      <Chip
                        size="small"
                        label="not synced"
                        variant="outlined"
                        color="warning"
                        sx={{ ml: 0.5 }}
                      />
                    )}
                  </Box>
                  <Box
                    role="gridcell"
                    sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                  >
                    {t.title}
                  </Box>
                  <Box role="gridcell">P{t.priority}</Box>
                  <Box role="gridcell">{t.state}</Box>
                  <Box role="gridcell" sx={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                    {t.assigneeId ?? '—'}
                  </Box>
                  <Box role="gridcell" sx={{ minWidth: 0, overflow: 'hidden' }}>
                    <SlaChip ticket={t} now={now} />
                  </Box>
                </Box>
              );
            })}
          </Box>
        </Box>
      </Box>
      {tabs.length > 0 && (
        <Box
          sx={{
            flex: 2,
            minWidth: 380,
            borderLeft: 1,
            borderColor: 'divider',
            overflow: 'auto',
            display: 'flex',
            flexDirection: 'column',
          }}
        >
          <Box
            component="nav"
            aria-label="Open tickets"
            sx={{ display: 'flex', flexWrap: 'wrap', borderBottom: 1, borderColor: 'divider' }}
          >
            {tabs.map((n) => (
              <Box
                key={n}
                data-testid="ticket-tab"
                data-number={n}
                sx={{
                  display: 'inline-flex',
                  alignItems: 'center',
                  borderBottom: 2,
                  borderColor: n === activeTab ? 'primary.main' : 'transparent',
                }}
              >
                <Button
                  size="small"
                  onClick={() => openTicket(n)}
                  aria-current={n === activeTab ? 'true' : undefined}
                  sx={{ textTransform: 'none', fontFamily: 'monospace' }}
                >
                  {n}
                  {pending.has(n) && (
                    <Box component="span" aria-label="not synced" sx={{ ml: 0.5 }}>
                      •
                    </Box>
                  )}
                </Button>
                <IconButton
                  size="small"
                  aria-label={`Close tab ${n}`}
                  onClick={() => closeTicket(n)}
                >
                  ×
                </IconButton>
              </Box>
            ))}
          </Box>
          {activeTab && (
            <TicketPanel
              key={activeTab}
              number={activeTab}
              pending={pending.has(activeTab)}
              onClose={() => closeTicket(activeTab)}
            />
          )}
        </Box>
      )}
      {editing && (
        <ViewEditor
          initial={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSave={(v) => {
            saveView(session.name, v);
            setEditing(null);
            setCursor(0);
          }}
          {...(editing !== 'new'
            ? {
                onDelete: () => {
                  deleteView(session.name, editing.id);
                  setEditing(null);
                },
              }
            : {})}
        />
      )}
    </Box>
  );
}

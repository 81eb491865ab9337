import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Chip,
  List,
  ListItemButton,
  ListItemText,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { observePendingTicketNumbers, updateTicket, addActivity } from '../../data/tickets-repo';
import { BUILT_IN_VIEWS, type QueueContext, type QueueView } from '../../../../shared/queue';
import { TicketPanel } from '../ticket/TicketPanel';
import { SlaChip } from './SlaChip';
import { OPEN_TICKET_EVENT } from '../../app/DesktopBridge';

const NO_PENDING: ReadonlySet<string> = new Set();
const NO_GROUPS: readonly string[] = [];
const ROW = 36;

/** Tickets under the current view, live, virtualized; keyboard-first triage and bulk actions. */
export function QueuePage() {
  const { db, session, queues } = useWorkspace();
  const version = useObservable(queues.version$, 0);
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
  const [viewId, setViewId] = useState('recent');
  const [text, setText] = useState('');
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const ctx: QueueContext = useMemo(
    () => ({ me: session.name, groupIds, now }),
    [session.name, groupIds, now],
  );
  const base = BUILT_IN_VIEWS.find((v) => v.id === viewId) ?? BUILT_IN_VIEWS[0]!;
  const view: QueueView = text.trim()
    ? { ...base, filter: { ...base.filter, text: text.trim() } }
    : base;
  // Re-read on every change version; the index answers from memory.
  void version;
  const rows = queues.index.rows(view, ctx);
  const counts = BUILT_IN_VIEWS.map((v) => queues.index.count(v, ctx));

  useEffect(() => {
    const onOpen = (e: Event) => setOpen((e as CustomEvent<{ number: string }>).detail.number);
    window.addEventListener(OPEN_TICKET_EVENT, onOpen);
    return () => window.removeEventListener(OPEN_TICKET_EVENT, onOpen);
  }, []);

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

  const targets = (): string[] =>
    selected.size > 0 ? [...selected] : current ? [current.number] : [];
  const bulk = async (label: string, op: (n: string) => Promise<unknown>) => {
    const list = targets();
    let failed = 0;
    for (const n of list) await op(n).catch(() => (failed += 1));
    setSelected(new Set());
    setMessage(
      failed > 0
        ? `${label}: ${list.length - failed} done, ${failed} refused (see the ticket for why).`
        : `${label}: ${list.length} ticket${list.length === 1 ? '' : 's'}.`,
    );
  };
  const assignToMe = () =>
    bulk('Assigned to you', (n) => updateTicket(db, n, { assigneeId: session.name }, session.name));

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    const move = (d: number) => {
      const next = Math.max(0, Math.min(rows.length - 1, at + d));
      setCursor(next);
      virtualizer.scrollToIndex(next);
      e.preventDefault();
    };
    if (e.key === 'j' || e.key === 'ArrowDown') move(1);
    else if (e.key === 'k' || e.key === 'ArrowUp') move(-1);
    else if (e.key === 'Enter' && current) setOpen(current.number);
    else if (e.key === 'x' && current) {
      const s = new Set(selected);
      if (s.has(current.number)) s.delete(current.number);
      else s.add(current.number);
      setSelected(s);
    } else if (e.key === 'a') void assignToMe();
    else if (e.key === 'Escape') setSelected(new Set());
  };

  return (
    <Box sx={{ display: 'flex', alignItems: 'stretch', height: 'calc(100vh - 48px)' }}>
      <Box
        component="nav"
        aria-label="Queues"
        sx={{ width: 210, borderRight: 1, borderColor: 'divider' }}
      >
        <List dense>
          {BUILT_IN_VIEWS.map((v, i) => (
            <ListItemButton
              key={v.id}
              selected={v.id === viewId}
              onClick={() => {
                setViewId(v.id);
                setCursor(0);
                setSelected(new Set());
              }}
              data-testid={`view-${v.id}`}
            >
              <ListItemText primary={v.name} />
              <Chip size="small" label={counts[i]} data-testid={`view-count-${v.id}`} />
            </ListItemButton>
          ))}
        </List>
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
          <TextField
            size="small"
            label="Search"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setCursor(0);
            }}
          />
          <Box sx={{ flexGrow: 1 }} />
          {selected.size > 0 && <Typography variant="body2">{selected.size} selected</Typography>}
          <Button size="small" onClick={() => void assignToMe()} disabled={!current}>
            Assign to me
          </Button>
          {note === null ? (
            <Button size="small" disabled={!current} onClick={() => setNote('')}>
              Add note
            </Button>
          ) : (
            <Stack
              direction="row"
              spacing={1}
              component="form"
              onSubmit={(e) => {
                e.preventDefault();
                const body = note.trim();
                setNote(null);
                if (body)
                  void bulk('Note added', (n) =>
                    addActivity(db, {
                      ticketNumber: n,
                      type: 'work-note',
                      by: session.name,
                      body,
                      data: {},
                    }),
                  );
              }}
            >
              <TextField
                size="small"
                autoFocus
                label="Work note for the selected tickets"
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
              <Button size="small" type="submit" variant="contained">
                Add
              </Button>
              <Button size="small" onClick={() => setNote(null)}>
                Cancel
              </Button>
            </Stack>
          )}
        </Stack>
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
                    if (e.shiftKey || e.metaKey || e.ctrlKey) {
                      const s = new Set(selected);
                      if (s.has(t.number)) s.delete(t.number);
                      else s.add(t.number);
                      setSelected(s);
                    } else setOpen(t.number);
                  }}
                  sx={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW,
                    transform: `translateY(${item.start}px)`,
                    display: 'grid',
                    gridTemplateColumns: '36px 170px 1fr 48px 110px 110px 120px',
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
                      onChange={() => {
                        const s = new Set(selected);
                        if (isSel) s.delete(t.number);
                        else s.add(t.number);
                        setSelected(s);
                      }}
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
                  <Box role="gridcell">
                    <SlaChip ticket={t} now={now} />
                  </Box>
                </Box>
              );
            })}
          </Box>
        </Box>
      </Box>
      {open && (
        <Box
          sx={{ flex: 2, minWidth: 360, borderLeft: 1, borderColor: 'divider', overflow: 'auto' }}
        >
          <TicketPanel number={open} pending={pending.has(open)} onClose={() => setOpen(null)} />
        </Box>
      )}
    </Box>
  );
}

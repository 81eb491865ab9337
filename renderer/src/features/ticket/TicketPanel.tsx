import { useMemo, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Divider,
  IconButton,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import {
  addActivity,
  moveTicket,
  observeActivity,
  observeTicket,
  updateTicket,
} from '../../data/tickets-repo';
import {
  allowedTransitions,
  ON_HOLD_REASONS,
  priorityOf,
  type ActivityEntry,
  type Level,
  type OnHoldReason,
  type Ticket,
  type TransitionRule,
} from '../../../../shared/domain';

const LEVELS = [
  { value: 1, label: '1 - High' },
  { value: 2, label: '2 - Medium' },
  { value: 3, label: '3 - Low' },
] as const;
const NO_ACTIVITY: readonly ActivityEntry[] = [];

type Props = {
  readonly number: string;
  readonly pending: boolean;
  readonly onClose: () => void;
};

/** One ticket: header, editable fields, state moves, note/reply composer, activity. */
export function TicketPanel({ number, pending, onClose }: Props) {
  const { db, session } = useWorkspace();
  const ticket = useObservable(
    useMemo(() => observeTicket(db, number), [db, number]),
    undefined,
  );
  const activity = useObservable(
    useMemo(() => observeActivity(db, number), [db, number]),
    NO_ACTIVITY,
  );
  const [error, setError] = useState<string | null>(null);

  if (ticket === undefined) return null;
  if (ticket === null)
    return (
      <Box sx={{ p: 2 }}>
        <Alert severity="warning">Ticket {number} is not in this replica.</Alert>
      </Box>
    );

  const run = (op: () => Promise<unknown>) => {
    setError(null);
    op().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <Box
      component="section"
      aria-label={`Ticket ${ticket.number}`}
      data-testid="ticket-panel"
      data-number={ticket.number}
      sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2, overflow: 'auto' }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="h6" component="h2" sx={{ fontFamily: 'monospace', flexGrow: 1 }}>
          {ticket.number}
        </Typography>
        <Chip size="small" label={ticket.kind} />
        <Chip
          size="small"
          color={ticket.priority <= 2 ? 'error' : 'default'}
          label={`P${ticket.priority}`}
        />
        <Chip size="small" data-testid="ticket-state" label={ticket.state} color="primary" />
        {pending && <Chip size="small" variant="outlined" color="warning" label="not synced" />}
        <IconButton aria-label="Close ticket" onClick={onClose} size="small">
          ×
        </IconButton>
      </Stack>
      {error && (
        <Alert severity="error" onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      <TicketFields
        key={`${ticket.number}:${ticket.updatedAt}`}
        ticket={ticket}
        onSave={(patch) => run(() => updateTicket(db, ticket.number, patch, session.name))}
      />
      <Transitions
        ticket={ticket}
        onMove={(to, input) => run(() => moveTicket(db, ticket.number, to, input, session.name))}
      />
      <Divider />
      <Composer
        onAdd={(type, body) =>
          run(() =>
            addActivity(db, {
              ticketNumber: ticket.number,
              type,
              by: session.name,
              body,
              data: {},
            }),
          )
        }
      />
      <ActivityList entries={activity} />
    </Box>
  );
}

type Editable = Pick<Ticket, 'title' | 'description' | 'impact' | 'urgency'>;

function TicketFields({
  ticket,
  onSave,
}: {
  readonly ticket: Ticket;
  readonly onSave: (patch: Partial<Editable>) => void;
}) {
  const [draft, setDraft] = useState<Editable>({
    title: ticket.title,
    description: ticket.description,
    impact: ticket.impact,
    urgency: ticket.urgency,
  });
  const changed = (Object.keys(draft) as (keyof Editable)[]).filter((k) => draft[k] !== ticket[k]);
  return (
    <Stack
      spacing={2}
      component="form"
      aria-label="Ticket fields"
      onSubmit={(e) => {
        e.preventDefault();
        if (changed.length > 0) onSave(Object.fromEntries(changed.map((k) => [k, draft[k]])));
      }}
    >
      <TextField
        label="Title"
        value={draft.title}
        onChange={(e) => setDraft({ ...draft, title: e.target.value })}
        size="small"
      />
      <TextField
        label="Description"
        value={draft.description}
        onChange={(e) => setDraft({ ...draft, description: e.target.value })}
        multiline
        minRows={2}
        size="small"
      />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <TextField
          select
          label="Impact"
          value={draft.impact}
          onChange={(e) => setDraft({ ...draft, impact: Number(e.target.value) as Level })}
          size="small"
          sx={{ minWidth: 140 }}
        >
          {LEVELS.map((l) => (
            <MenuItem key={l.value} value={l.value}>
              {l.label}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Urgency"
          value={draft.urgency}
          onChange={(e) => setDraft({ ...draft, urgency: Number(e.target.value) as Level })}
          size="small"
          sx={{ minWidth: 140 }}
        >
          {LEVELS.map((l) => (
            <MenuItem key={l.value} value={l.value}>
              {l.label}
            </MenuItem>
          ))}
        </TextField>
        <Typography variant="body2" aria-live="polite">
          Priority P{priorityOf(draft.impact, draft.urgency)}
        </Typography>
        <Box sx={{ flexGrow: 1 }} />
        <Button type="submit" variant="contained" disabled={changed.length === 0}>
          Save
        </Button>
      </Stack>
    </Stack>
  );
}

function Transitions({
  ticket,
  onMove,
}: {
  readonly ticket: Ticket;
  readonly onMove: (
    to: string,
    input: { onHoldReason?: OnHoldReason; resolution?: { code: string; notes: string } },
  ) => void;
}) {
  const [asking, setAsking] = useState<TransitionRule | null>(null);
  const rules = allowedTransitions(ticket);
  if (rules.length === 0) return null;
  return (
    <Stack
      direction="row"
      spacing={1}
      sx={{ flexWrap: 'wrap' }}
      useFlexGap
      aria-label="State changes"
    >
      {rules.map((r) => (
        <Button
          key={r.to}
          size="small"
          variant="outlined"
          onClick={() => (r.requires.length > 0 ? setAsking(r) : onMove(r.to, {}))}
        >
          {r.label}
        </Button>
      ))}
      {asking && (
        <TransitionDialog
          rule={asking}
          onCancel={() => setAsking(null)}
          onConfirm={(input) => {
            setAsking(null);
            onMove(asking.to, input);
          }}
        />
      )}
    </Stack>
  );
}

function TransitionDialog({
  rule,
  onCancel,
  onConfirm,
}: {
  readonly rule: TransitionRule;
  readonly onCancel: () => void;
  readonly onConfirm: (input: {
    onHoldReason?: OnHoldReason;
    resolution?: { code: string; notes: string };
  }) => void;
}) {
  const [reason, setReason] = useState<OnHoldReason>('awaiting-caller');
  const [code, setCode] = useState('');
  const [notes, setNotes] = useState('');
  const needsReason = rule.requires.includes('onHoldReason');
  const needsResolution = rule.requires.includes('resolution');
  const ready = !needsResolution || (code.trim() !== '' && notes.trim() !== '');
  return (
    <Dialog open onClose={onCancel} aria-labelledby="transition-title">
      <DialogTitle id="transition-title">{rule.label}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1, minWidth: 360 }}>
          {needsReason && (
            <TextField
              select
              label="On-hold reason"
              value={reason}
              onChange={(e) => setReason(e.target.value as OnHoldReason)}
            >
              {ON_HOLD_REASONS.map((r) => (
                <MenuItem key={r} value={r}>
                  {r.replace('-', ' ')}
                </MenuItem>
              ))}
            </TextField>
          )}
          {needsResolution && (
            <>
              <TextField
                label="Resolution code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                required
              />
              <TextField
                label="Resolution notes"
                value={notes}
                onChange={(e) => setNotes(e.target.value)}
                multiline
                minRows={2}
                required
              />
            </>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          variant="contained"
          disabled={!ready}
          onClick={() =>
            onConfirm({
              ...(needsReason ? { onHoldReason: reason } : {}),
              ...(needsResolution
                ? { resolution: { code: code.trim(), notes: notes.trim() } }
                : {}),
            })
          }
        >
          {rule.label}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function Composer({
  onAdd,
}: {
  readonly onAdd: (type: 'work-note' | 'reply', body: string) => void;
}) {
  const [type, setType] = useState<'work-note' | 'reply'>('work-note');
  const [body, setBody] = useState('');
  return (
    <Stack
      spacing={1}
      component="form"
      aria-label="Add to activity"
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim() === '') return;
        onAdd(type, body);
        setBody('');
      }}
    >
      <ToggleButtonGroup
        exclusive
        size="small"
        value={type}
        onChange={(_, v: 'work-note' | 'reply' | null) => v && setType(v)}
        aria-label="Note or reply"
      >
        <ToggleButton value="work-note">Work note (internal)</ToggleButton>
        <ToggleButton value="reply" color="warning">
          Reply to requester (public)
        </ToggleButton>
      </ToggleButtonGroup>
      <TextField
        label={type === 'reply' ? 'Reply (the requester will see this)' : 'Work note (staff only)'}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        multiline
        minRows={2}
        color={type === 'reply' ? 'warning' : 'primary'}
        focused={type === 'reply' ? true : undefined}
      />
      <Box>
        <Button type="submit" variant="contained" disabled={body.trim() === ''}>
          {type === 'reply' ? 'Send reply' : 'Add note'}
        </Button>
      </Box>
    </Stack>
  );
}

function ActivityList({ entries }: { readonly entries: readonly ActivityEntry[] }) {
  if (entries.length === 0)
    return (
      <Typography variant="body2" color="text.secondary">
        No activity yet.
      </Typography>
    );
  return (
    <List dense aria-label="Activity" data-testid="activity-list">
      {[...entries].reverse().map((e) => (
        <ListItem
          key={e.id}
          alignItems="flex-start"
          data-testid="activity-entry"
          data-type={e.type}
        >
          <ListItemText
            primary={e.type === 'conflict' ? conflictText(e) : e.body || e.type}
            secondary={`${e.type.replace('-', ' ')} · ${e.by} · ${new Date(e.at).toLocaleString()}`}
            slotProps={{ primary: { sx: { whiteSpace: 'pre-wrap' } } }}
          />
        </ListItem>
      ))}
    </List>
  );
}

function conflictText(e: ActivityEntry): string {
  const d = e.data as { field?: unknown; kept?: unknown; lost?: unknown };
  return `Conflict on ${String(d.field)}: kept ${JSON.stringify(d.kept)}, replaced ${JSON.stringify(d.lost)}`;
}

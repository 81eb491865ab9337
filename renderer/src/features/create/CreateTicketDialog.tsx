import { useState } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import { useWorkspace } from '../../app/services';
import { createTicket } from '../../data/tickets-repo';
import { priorityOf, type TicketKind } from '../../../../shared/domain';

type Props = { readonly open: boolean; readonly onClose: (created?: string) => void };

const KINDS: readonly { value: TicketKind; label: string }[] = [
  { value: 'incident', label: 'Incident' },
  { value: 'request', label: 'Service request' },
  { value: 'problem', label: 'Problem' },
  { value: 'change', label: 'Change' },
];
const LEVELS = [
  { value: 1, label: '1 - High' },
  { value: 2, label: '2 - Medium' },
  { value: 3, label: '3 - Low' },
] as const;

/** Creates a ticket in the local replica; its number is assigned at once, offline too. */
export function CreateTicketDialog({ open, onClose }: Props) {
  const { db, session } = useWorkspace();
  const [kind, setKind] = useState<TicketKind>('incident');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [impact, setImpact] = useState<1 | 2 | 3>(2);
  const [urgency, setUrgency] = useState<1 | 2 | 3>(2);
  const [category, setCategory] = useState('general');
  const [groupId, setGroupId] = useState('group:service-desk');
  const [error, setError] = useState<string | null>(null);

  const save = () => {
    setError(null);
    createTicket(
      db,
      kind,
      {
        title,
        description,
        impact,
        urgency,
        category,
        groupId,
        requesterId: session.name,
        ciId: null,
        assigneeId: null,
      },
      session.name,
    ).then(
      (t) => {
        setTitle('');
        setDescription('');
        onClose(t.number);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  };

  return (
    <Dialog
      open={open}
      onClose={() => onClose()}
      aria-labelledby="create-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="create-title">New ticket</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          {error && <Alert severity="error">{error}</Alert>}
          <TextField
            select
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as TicketKind)}
          >
            {KINDS.map((k) => (
              <MenuItem key={k.value} value={k.value}>
                {k.label}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            required
            autoFocus
          />
          <TextField
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            multiline
            minRows={3}
          />
          <Stack direction="row" spacing={2}>
            <TextField
              select
              label="Impact"
              value={impact}
              onChange={(e) => setImpact(Number(e.target.value) as 1 | 2 | 3)}
              fullWidth
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
              value={urgency}
              onChange={(e) => setUrgency(Number(e.target.value) as 1 | 2 | 3)}
              fullWidth
            >
              {LEVELS.map((l) => (
                <MenuItem key={l.value} value={l.value}>
                  {l.label}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="Priority"
              value={`P${priorityOf(impact, urgency)}`}
              slotProps={{ input: { readOnly: true } }}
              fullWidth
            />
          </Stack>
          <TextField
            label="Category"
            value={category}
            onChange={(e) => setCategory(e.target.value)}
          />
          <TextField
            label="Assignment group"
            value={groupId}
            onChange={(e) => setGroupId(e.target.value)}
          />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose()}>Cancel</Button>
        <Button variant="contained" onClick={save}>
          Create
        </Button>
      </DialogActions>
    </Dialog>
  );
}

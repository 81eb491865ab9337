import { useState } from 'react';
import {
  Alert,
  Autocomplete,
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
import { useDirectory } from '../../app/useDirectory';
import { textOf } from '../../data/directory';
import { createTicket } from '../../data/tickets-repo';
import {
  priorityOf,
  templatesFor,
  type Level,
  type Ticket,
  type TicketKind,
} from '../../../../shared/domain';
import { LevelSelect } from '../ticket/LevelSelect';
import { explainWriteError } from '../../data/storage-errors';
import { useFormDialog } from '../../app/useFormDialog';

/** The kinds an agent creates from the console (work orders come from dispatch). */
export const CREATABLE_KINDS: readonly { value: TicketKind; label: string }[] = [
  { value: 'incident', label: 'Incident' },
  { value: 'request', label: 'Service request' },
  { value: 'problem', label: 'Problem' },
  { value: 'change', label: 'Change' },
];

type Props = {
  readonly open: boolean;
  readonly kind?: TicketKind;
  readonly onClose: (created?: string) => void;
};

/** Creates a ticket in the local replica; its number is assigned at once, offline too. */
export function CreateTicketDialog({ open, kind: initialKind, onClose }: Props) {
  return open ? <CreateForm kind={initialKind ?? 'incident'} onClose={onClose} /> : null;
}

function CreateForm({
  kind: initialKind,
  onClose,
}: {
  readonly kind: TicketKind;
  readonly onClose: (created?: string) => void;
}) {
  const { db, session } = useWorkspace();
  const groups = useDirectory('group');
  const catalog = useDirectory('catalog-item');
  const [kind, setKind] = useState<TicketKind>(initialKind);
  const [template, setTemplate] = useState('');
  const [catalogItem, setCatalogItem] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [impact, setImpact] = useState<Level>(2);
  const [urgency, setUrgency] = useState<Level>(2);
  const [category, setCategory] = useState('general');
  const [groupId, setGroupId] = useState('group:service-desk');
  const [changeType, setChangeType] = useState<'standard' | 'normal' | 'emergency'>('normal');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const applyTemplate = (id: string) => {
    setTemplate(id);
    const t = templatesFor(kind).find((x) => x.id === id);
    if (!t) return;
    setTitle(t.title);
    setDescription(t.description);
    setImpact(t.impact);
    setUrgency(t.urgency);
    setCategory(t.category);
    setGroupId(t.groupId);
  };
  const applyCatalog = (id: string | null) => {
    setCatalogItem(id);
    const item = catalog.find((c) => c.id === id);
    if (!item) return;
    setTitle(item.name);
    setCategory(textOf(item.category) || 'general');
  };

  const save = () => {
    if (title.trim() === '') return setError('A title is required.');
    if (kind === 'request' && !catalogItem)
      return setError('Choose what is requested from the service catalog.');
    setError(null);
    setSaving(true);
    const item = catalog.find((c) => c.id === catalogItem);
    const request: Ticket['request'] | undefined =
      kind === 'request' && catalogItem
        ? {
            catalogItemId: catalogItem,
            approval: item?.needsApproval === true ? 'pending' : 'not-required',
          }
        : undefined;
    const change: Ticket['change'] | undefined =
      kind === 'change'
        ? { type: changeType, risk: 'medium', plannedStart: null, plannedEnd: null }
        : undefined;
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
        ...(request ? { request } : {}),
        ...(change ? { change } : {}),
      },
      session.name,
    ).then(
      (t) => onClose(t.number),
      (err: unknown) => {
        setSaving(false);
        void explainWriteError(err).then(setError);
      },
    );
  };

  // Anything changed from how the form opened is asked about before it is thrown away.
  const snapshot = JSON.stringify([
    kind,
    template,
    catalogItem,
    title,
    description,
    impact,
    urgency,
    category,
    groupId,
    changeType,
  ]);
  const [opened] = useState(snapshot);
  const form = useFormDialog({
    dirty: snapshot !== opened,
    canSubmit: !saving,
    onSubmit: save,
    onCancel: () => onClose(),
  });

  const templates = templatesFor(kind);
  return (
    <Dialog open {...form.dialogProps} aria-labelledby="create-title" fullWidth maxWidth="sm">
      <DialogTitle id="create-title">New ticket</DialogTitle>
      <DialogContent>
        <Stack
          spacing={2}
          sx={{ mt: 1 }}
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          {error && <Alert severity="error">{error}</Alert>}
          <TextField
            select
            label="Kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as TicketKind);
              setTemplate('');
            }}
          >
            {CREATABLE_KINDS.map((k) => (
              <MenuItem key={k.value} value={k.value}>
                {k.label}
              </MenuItem>
            ))}
          </TextField>
          {kind === 'request' ? (
            <Autocomplete
              options={catalog.map((c) => c.id)}
              getOptionLabel={(id) => catalog.find((c) => c.id === id)?.name ?? id}
              value={catalogItem}
              onChange={(_, v) => applyCatalog(v)}
              renderInput={(p) => <TextField {...p} label="Catalog item" required />}
            />
          ) : (
            templates.length > 0 && (
              <TextField
                select
                label="Template"
                value={template}
                onChange={(e) => applyTemplate(e.target.value)}
              >
                <MenuItem value="">No template</MenuItem>
                {templates.map((t) => (
                  <MenuItem key={t.id} value={t.id}>
                    {t.name}
                  </MenuItem>
                ))}
              </TextField>
            )
          )}
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
            helperText="Markdown. Ctrl+Enter creates the ticket."
          />
          <Stack direction="row" spacing={2}>
            <LevelSelect label="Impact" value={impact} onChange={setImpact} fullWidth />
            <LevelSelect label="Urgency" value={urgency} onChange={setUrgency} fullWidth />
            <TextField
              label="Priority"
              value={`P${priorityOf(impact, urgency)}`}
              slotProps={{ input: { readOnly: true } }}
              fullWidth
            />
          </Stack>
          {kind === 'change' && (
            <TextField
              select
              label="Change type"
              value={changeType}
              onChange={(e) => setChangeType(e.target.value as typeof changeType)}
            >
              <MenuItem value="standard">Standard (pre-approved)</MenuItem>
              <MenuItem value="normal">Normal (CAB review)</MenuItem>
              <MenuItem value="emergency">Emergency</MenuItem>
            </TextField>
          )}
          <Stack direction="row" spacing={2}>
            <TextField
              label="Category"
              value={category}
              onChange={(e) => setCategory(e.target.value)}
              fullWidth
            />
            <TextField
              select
              label="Assignment group"
              value={groups.some((g) => g.id === groupId) ? groupId : ''}
              onChange={(e) => setGroupId(e.target.value)}
              fullWidth
            >
              {groups.length === 0 && <MenuItem value="">{groupId}</MenuItem>}
              {groups.map((g) => (
                <MenuItem key={g.id} value={g.id}>
                  {g.name}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          <button type="submit" hidden />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={form.cancel}>Cancel</Button>
        <Button variant="contained" onClick={save} disabled={saving}>
          Create
        </Button>
      </DialogActions>
      {form.confirm}
    </Dialog>
  );
}

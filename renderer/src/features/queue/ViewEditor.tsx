import { useState } from 'react';
import {
  Alert,
  Autocomplete,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  Stack,
  Switch,
  TextField,
} from '@mui/material';
import { useDirectory } from '../../app/useDirectory';
import { textOf, usernameOf } from '../../data/directory';
import {
  SORT_FIELDS,
  validateView,
  type QueueFilter,
  type QueueView,
  type SortField,
} from '../../../../shared/queue';
import { TICKET_KINDS } from '../../../../shared/domain';
import { useFormDialog } from '../../app/useFormDialog';
import { SLA_FILTER_LABELS } from './sla-filter-labels';

const SORT_LABELS: Record<SortField, string> = {
  updatedAt: 'Last updated',
  createdAt: 'Created',
  priority: 'Priority',
  number: 'Number',
  title: 'Title',
  state: 'State',
  assigneeId: 'Assignee',
  groupId: 'Group',
};
const KNOWN_STATES = ['new', 'assigned', 'in-progress', 'on-hold', 'resolved', 'closed'];

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `custom-${s || 'view'}`;
}

/** Creates or edits a saved view: filters on every field the queue model knows, and a sort. */
export function ViewEditor({
  initial,
  onSave,
  onDelete,
  onClose,
}: {
  readonly initial: QueueView | null;
  readonly onSave: (view: QueueView) => void;
  readonly onDelete?: () => void;
  readonly onClose: () => void;
}) {
  const groups = useDirectory('group');
  const people = useDirectory('person');
  const [name, setName] = useState(initial?.name ?? '');
  const [f, setF] = useState<QueueFilter>(initial?.filter ?? { open: true });
  const [sortField, setSortField] = useState<SortField>(initial?.sort.field ?? 'updatedAt');
  const [dir, setDir] = useState<'asc' | 'desc'>(initial?.sort.dir ?? 'desc');
  const [error, setError] = useState<string | null>(null);
  const put = (patch: Partial<QueueFilter>) => {
    const next: Record<string, unknown> = { ...f, ...patch };
    for (const k of Object.keys(next)) {
      const v = next[k];
      if (v === undefined || (Array.isArray(v) && v.length === 0) || v === '') delete next[k];
    }
    setF(next);
  };
  const assigneeOptions = ['me', 'unassigned', ...people.map(usernameOf)];

  const save = () => {
    const candidate = {
      id: initial?.id ?? slug(name),
      name: name.trim(),
      filter: f,
      sort: { field: sortField, dir },
    };
    const v = validateView(candidate);
    if (!v.ok) return setError(v.error);
    onSave(v.view);
  };

  // Anything changed from how the editor opened is asked about before it is thrown away.
  const snapshot = JSON.stringify([name, f, sortField, dir]);
  const [opened] = useState(snapshot);
  const form = useFormDialog({
    dirty: snapshot !== opened,
    canSubmit: name.trim() !== '',
    onSubmit: save,
    onCancel: onClose,
  });

  return (
    <Dialog open {...form.dialogProps} fullWidth maxWidth="sm" aria-labelledby="view-editor-title">
      <DialogTitle id="view-editor-title">{initial ? 'Edit view' : 'New view'}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {error && <Alert severity="error">{error}</Alert>}
          <TextField
            label="View name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoFocus
          />
          <FormControlLabel
            control={
              <Switch
                checked={f.open === true}
                onChange={(e) => put({ open: e.target.checked ? true : undefined })}
              />
            }
            label="Open tickets only"
          />
          <Autocomplete
            multiple
            options={[...TICKET_KINDS]}
            value={[...(f.kinds ?? [])]}
            onChange={(_, v) => put({ kinds: v })}
            renderInput={(p) => <TextField {...p} label="Kinds" />}
          />
          <Autocomplete
            multiple
            options={[1, 2, 3, 4, 5]}
            getOptionLabel={(p) => `P${p}`}
            value={[...(f.priorities ?? [])]}
            onChange={(_, v) => put({ priorities: v })}
            renderInput={(p) => <TextField {...p} label="Priorities" />}
          />
          <Autocomplete
            multiple
            freeSolo
            options={KNOWN_STATES}
            value={[...(f.states ?? [])]}
            onChange={(_, v) => put({ states: v })}
            renderInput={(p) => <TextField {...p} label="States" />}
          />
          <Autocomplete
            multiple
            options={['mine', ...groups.map((g) => g.id)]}
            getOptionLabel={(id) =>
              id === 'mine' ? 'My groups' : (groups.find((g) => g.id === id)?.name ?? id)
            }
            value={f.groups === 'mine' ? ['mine'] : [...(f.groups ?? [])]}
            onChange={(_, v) => put({ groups: v.includes('mine') ? 'mine' : v })}
            renderInput={(p) => <TextField {...p} label="Groups" />}
          />
          <Autocomplete
            multiple
            options={assigneeOptions}
            value={[...(f.assignees ?? [])]}
            onChange={(_, v) => put({ assignees: v })}
            renderInput={(p) => <TextField {...p} label="Assignees" />}
          />
          <TextField
            select
            label="SLA"
            value={f.sla ?? ''}
            onChange={(e) =>
              put({ sla: (e.target.value || undefined) as QueueFilter['sla'] | undefined })
            }
          >
            <MenuItem value="">Any</MenuItem>
            {Object.entries(SLA_FILTER_LABELS).map(([value, label]) => (
              <MenuItem key={value} value={value}>
                {label}
              </MenuItem>
            ))}
          </TextField>
          <Autocomplete
            multiple
            freeSolo
            options={[
              ...new Set(
                groups.flatMap((g) =>
                  Array.isArray(g.categories) ? g.categories.map(textOf) : [],
                ),
              ),
            ]}
            value={[...(f.categories ?? [])]}
            onChange={(_, v) => put({ categories: v })}
            renderInput={(p) => <TextField {...p} label="Categories" />}
          />
          <TextField
            label="Text (all words must appear)"
            value={f.text ?? ''}
            onChange={(e) => put({ text: e.target.value })}
          />
          <Stack direction="row" spacing={2}>
            <TextField
              select
              label="Sort by"
              value={sortField}
              onChange={(e) => setSortField(e.target.value as SortField)}
              fullWidth
            >
              {SORT_FIELDS.map((s) => (
                <MenuItem key={s} value={s}>
                  {SORT_LABELS[s]}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="Order"
              value={dir}
              onChange={(e) => setDir(e.target.value as 'asc' | 'desc')}
              fullWidth
            >
              <MenuItem value="asc">Ascending</MenuItem>
              <MenuItem value="desc">Descending</MenuItem>
            </TextField>
          </Stack>
        </Stack>
      </DialogContent>
      <DialogActions>
        {onDelete && (
          <Button color="error" onClick={onDelete} sx={{ mr: 'auto' }}>
            Delete view
          </Button>
        )}
        <Button onClick={form.cancel}>Cancel</Button>
        <Button variant="contained" onClick={save} disabled={name.trim() === ''}>
          Save view
        </Button>
      </DialogActions>
      {form.confirm}
    </Dialog>
  );
}

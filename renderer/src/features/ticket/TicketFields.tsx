import { useState } from 'react';
import { Alert, Autocomplete, Box, Button, Stack, TextField, Typography } from '@mui/material';
import { Markdown } from '../rich-text/Markdown';
import { LevelSelect } from './LevelSelect';
import { useDirectory } from '../../app/useDirectory';
import { usernameOf } from '../../data/directory';
import { priorityOf, type Ticket } from '../../../../shared/domain';

export type Editable = Pick<
  Ticket,
  'title' | 'description' | 'impact' | 'urgency' | 'groupId' | 'assigneeId'
>;
const FIELDS: readonly (keyof Editable)[] = [
  'title',
  'description',
  'impact',
  'urgency',
  'groupId',
  'assigneeId',
];
const FIELD_LABELS: Record<keyof Editable, string> = {
  title: 'Title',
  description: 'Description',
  impact: 'Impact',
  urgency: 'Urgency',
  groupId: 'Assignment group',
  assigneeId: 'Assignee',
};

/**
 * The editable fields, with a stale-edit guard: the draft remembers the version it started from.
 * If the ticket changes underneath (another agent, a sync), fields not being edited follow the
 * new version, a banner says who changed it, and saving over a field someone else changed needs
 * an explicit "overwrite".
 */
export function TicketFields({
  ticket,
  me,
  onSave,
  onEditing,
  mayChangeGroup = true,
}: {
  readonly ticket: Ticket;
  readonly me: string;
  /** False when the server would refuse a move to another group from this user. */
  readonly mayChangeGroup?: boolean;
  readonly onSave: (patch: Partial<Editable>) => Promise<unknown>;
  readonly onEditing: (editing: boolean) => void;
}) {
  const [base, setBase] = useState<Ticket | null>(null);
  const [draft, setDraft] = useState<Partial<Editable>>({});
  const [editingDescription, setEditingDescription] = useState(false);
  const groups = useDirectory('group');
  const people = useDirectory('person');
  const from = base ?? ticket;
  const groupLocked = !mayChangeGroup && ticket.groupId !== '';
  const value = <K extends keyof Editable>(k: K): Editable[K] =>
    (k in draft ? draft[k] : ticket[k]) as Editable[K];
  const dirty = FIELDS.filter((k) => k in draft && draft[k] !== from[k]);
  const clashes = dirty.filter((k) => ticket[k] !== from[k] && ticket[k] !== draft[k]);
  const movedOn = base !== null && base.updatedAt !== ticket.updatedAt;

  const edit = <K extends keyof Editable>(k: K, v: Editable[K]) => {
    if (base === null) setBase(ticket);
    const next = { ...draft, [k]: v };
    setDraft(next);
    onEditing(FIELDS.some((f) => f in next && next[f] !== (base ?? ticket)[f]));
  };
  const reset = () => {
    setBase(null);
    setDraft({});
    setEditingDescription(false);
    onEditing(false);
  };
  const save = () => {
    if (dirty.length === 0) return;
    void onSave(Object.fromEntries(dirty.map((k) => [k, draft[k]]))).then(reset, () => undefined);
  };

  return (
    <Stack
      spacing={2}
      component="form"
      aria-label="Ticket fields"
      onSubmit={(e) => {
        e.preventDefault();
        if (clashes.length === 0) save();
      }}
    >
      {movedOn && (
        <Alert
          severity={clashes.length > 0 ? 'error' : 'info'}
          data-testid="stale-edit-banner"
          action={
            clashes.length > 0 ? (
              <Stack direction="row" spacing={1}>
                <Button color="inherit" size="small" onClick={reset}>
                  Discard mine
                </Button>
                <Button color="inherit" size="small" variant="outlined" onClick={save}>
                  Overwrite
                </Button>
              </Stack>
            ) : undefined
          }
        >
          This ticket changed since you started editing
          {ticket.updatedBy !== me ? ` (by ${ticket.updatedBy})` : ''}.{' '}
          {clashes.length > 0
            ? `They also changed ${clashes.map((k) => FIELD_LABELS[k]).join(', ')}: now “${clashes
                .map((k) => String(ticket[k] ?? '—'))
                .join('”, “')}”. Overwrite with yours, or discard your edit?`
            : 'Fields you are not editing show the new values; saving keeps them.'}
        </Alert>
      )}
      <TextField
        label="Title"
        value={value('title')}
        onChange={(e) => edit('title', e.target.value)}
        size="small"
      />
      <Box>
        <Stack direction="row" sx={{ alignItems: 'center' }}>
          <Typography variant="subtitle2" sx={{ flexGrow: 1 }} id="description-label">
            Description
          </Typography>
          <Button size="small" onClick={() => setEditingDescription(!editingDescription)}>
            {editingDescription ? 'Preview' : 'Edit description'}
          </Button>
        </Stack>
        {editingDescription ? (
          <TextField
            label="Description (markdown)"
            value={value('description')}
            onChange={(e) => edit('description', e.target.value)}
            multiline
            minRows={3}
            size="small"
            fullWidth
          />
        ) : (
          <Box aria-labelledby="description-label">
            {value('description').trim() ? (
              <Markdown text={value('description')} testId="ticket-description" />
            ) : (
              <Typography variant="body2" color="text.secondary">
                No description.
              </Typography>
            )}
          </Box>
        )}
      </Box>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <LevelSelect
          label="Impact"
          value={value('impact')}
          onChange={(v) => edit('impact', v)}
          size="small"
          sx={{ minWidth: 130 }}
        />
        <LevelSelect
          label="Urgency"
          value={value('urgency')}
          onChange={(v) => edit('urgency', v)}
          size="small"
          sx={{ minWidth: 130 }}
        />
        <Typography variant="body2" aria-live="polite" data-testid="derived-priority">
          Priority P{priorityOf(value('impact'), value('urgency'))}
        </Typography>
      </Stack>
      <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }} useFlexGap>
        <Box sx={{ minWidth: 200, flex: 1 }}>
          <Autocomplete
            size="small"
            options={groups.map((g) => g.id)}
            getOptionLabel={(id) => groups.find((g) => g.id === id)?.name ?? id}
            value={value('groupId')}
            disableClearable
            // The server lets only supervisors move a ticket to another group: say so before
            // saving instead of letting the change be refused later.
            disabled={groupLocked}
            onChange={(_, v) => edit('groupId', v)}
            renderInput={(p) => <TextField {...p} label="Assignment group" />}
          />
          {groupLocked && (
            <Typography id="group-locked" variant="caption" color="text.secondary">
              Only supervisors may move a ticket to another group.
            </Typography>
          )}
        </Box>
        <Autocomplete
          size="small"
          sx={{ minWidth: 200, flex: 1 }}
          options={people
            .filter((p) => Array.isArray(p.roles) && p.roles.length > 0)
            .map(usernameOf)}
          getOptionLabel={(u) => people.find((p) => usernameOf(p) === u)?.name ?? u}
          value={value('assigneeId')}
          onChange={(_, v) => edit('assigneeId', v)}
          renderInput={(p) => <TextField {...p} label="Assignee" />}
        />
        <Button
          size="small"
          onClick={() => edit('assigneeId', me)}
          disabled={value('assigneeId') === me}
        >
          Assign to me
        </Button>
      </Stack>
      <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
        {dirty.length > 0 && (
          <Button onClick={reset} size="small">
            Discard changes
          </Button>
        )}
        <Button
          type="submit"
          variant="contained"
          disabled={dirty.length === 0 || clashes.length > 0}
        >
          Save
        </Button>
      </Stack>
    </Stack>
  );
}

import { useState } from 'react';
import { useDirectory } from '../../app/useDirectory';
import { usernameOf } from '../../data/directory';
import { Autocomplete, Button, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { TransitionDialog } from '../ticket/Transitions';
import { FormDialog } from '../../app/useFormDialog';
import { LevelSelect } from '../ticket/LevelSelect';
import {
  allowedTransitions,
  priorityOf,
  type Level,
  type Ticket,
  type TransitionInput,
  type TransitionRule,
} from '../../../../shared/domain';

export type BulkOps = {
  readonly assignToMe: () => void;
  readonly assignTo: (user: string) => void;
  readonly setLevels: (impact: Level, urgency: Level) => void;
  readonly move: (to: string, input: TransitionInput) => void;
  readonly note: (body: string) => void;
};

type Asking = 'levels' | 'state' | 'note' | 'assign' | null;

/** Bulk actions on the selected tickets (or the one under the cursor). */
export function BulkActions({
  targets,
  ops,
}: {
  readonly targets: readonly Ticket[];
  readonly ops: BulkOps;
}) {
  const [asking, setAsking] = useState<Asking>(null);
  const [impact, setImpact] = useState<Level>(2);
  const [urgency, setUrgency] = useState<Level>(2);
  const [note, setNote] = useState('');
  const [stateRule, setStateRule] = useState<TransitionRule | null>(null);
  const [chosen, setChosen] = useState('');
  const [assignee, setAssignee] = useState<string | null>(null);
  const people = useDirectory('person');
  const none = targets.length === 0;
  // Moves offered: those allowed for at least one target (the others are refused and counted).
  const moves = new Map<string, TransitionRule>();
  for (const t of targets)
    for (const r of allowedTransitions(t)) if (!moves.has(r.to)) moves.set(r.to, r);

  return (
    <Stack
      direction="row"
      spacing={1}
      role="toolbar"
      aria-label="Bulk actions"
      sx={{ '& .MuiButton-root': { whiteSpace: 'nowrap' } }}
    >
      <Button size="small" onClick={ops.assignToMe} disabled={none}>
        Assign to me
      </Button>
      <Button size="small" onClick={() => setAsking('assign')} disabled={none}>
        Assign to…
      </Button>
      <Button size="small" onClick={() => setAsking('levels')} disabled={none}>
        Set priority
      </Button>
      <Button size="small" onClick={() => setAsking('state')} disabled={none}>
        Change state
      </Button>
      <Button size="small" onClick={() => setAsking('note')} disabled={none}>
        Add note
      </Button>
      {asking === 'assign' && (
        <FormDialog
          titleId="bulk-assign-title"
          title={`Assign ${targets.length} ticket${targets.length === 1 ? '' : 's'} to`}
          submitLabel="Assign"
          fullWidth
          dirty={assignee !== null}
          canSubmit={assignee !== null}
          onCancel={() => setAsking(null)}
          onSubmit={() => {
            setAsking(null);
            if (assignee) ops.assignTo(assignee);
          }}
        >
          <Autocomplete
            options={people
              .filter((p) => Array.isArray(p.roles) && p.roles.length > 0)
              .map(usernameOf)}
            getOptionLabel={(u) => people.find((p) => usernameOf(p) === u)?.name ?? u}
            value={assignee}
            onChange={(_, v) => setAssignee(v)}
            renderInput={(p) => <TextField {...p} autoFocus label="Assignee" sx={{ mt: 1 }} />}
          />
        </FormDialog>
      )}
      {asking === 'levels' && (
        <FormDialog
          titleId="bulk-levels-title"
          title={`Set impact and urgency of ${targets.length} ticket${targets.length === 1 ? '' : 's'}`}
          submitLabel="Apply"
          dirty={false}
          onCancel={() => setAsking(null)}
          onSubmit={() => {
            setAsking(null);
            ops.setLevels(impact, urgency);
          }}
        >
          <Stack direction="row" spacing={2} sx={{ pt: 1, alignItems: 'center' }}>
            <LevelSelect
              label="Impact"
              value={impact}
              onChange={setImpact}
              sx={{ minWidth: 130 }}
            />
            <LevelSelect
              label="Urgency"
              value={urgency}
              onChange={setUrgency}
              sx={{ minWidth: 130 }}
            />
            <Typography>Priority P{priorityOf(impact, urgency)}</Typography>
          </Stack>
        </FormDialog>
      )}
      {asking === 'state' && (
        <FormDialog
          titleId="bulk-state-title"
          title={`Change the state of ${targets.length} ticket${targets.length === 1 ? '' : 's'}`}
          submitLabel="Continue"
          dirty={false}
          canSubmit={moves.has(chosen)}
          onCancel={() => setAsking(null)}
          onSubmit={() => {
            const r = moves.get(chosen);
            setAsking(null);
            if (!r) return;
            if (r.requires.length > 0) setStateRule(r);
            else ops.move(r.to, {});
          }}
        >
          <TextField
            select
            label="New state"
            value={chosen}
            onChange={(e) => setChosen(e.target.value)}
            sx={{ mt: 1, minWidth: 260 }}
            helperText="Tickets that cannot move there from their state are left as they are."
          >
            {[...moves.values()].map((r) => (
              <MenuItem key={r.to} value={r.to}>
                {r.label} → {r.to}
              </MenuItem>
            ))}
          </TextField>
        </FormDialog>
      )}
      {stateRule && (
        <TransitionDialog
          rule={stateRule}
          onCancel={() => setStateRule(null)}
          onConfirm={(input) => {
            setStateRule(null);
            ops.move(stateRule.to, input);
          }}
        />
      )}
      {asking === 'note' && (
        <FormDialog
          titleId="bulk-note-title"
          title={`Work note on ${targets.length} ticket${targets.length === 1 ? '' : 's'}`}
          submitLabel="Add"
          fullWidth
          dirty={note.trim() !== ''}
          canSubmit={note.trim() !== ''}
          onCancel={() => setAsking(null)}
          onSubmit={() => {
            setAsking(null);
            ops.note(note.trim());
            setNote('');
          }}
        >
          <TextField
            autoFocus
            fullWidth
            multiline
            minRows={2}
            label="Work note for the selected tickets"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            helperText="Ctrl+Enter adds the note."
            sx={{ mt: 1 }}
          />
        </FormDialog>
      )}
    </Stack>
  );
}

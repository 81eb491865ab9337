import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import {
  ON_HOLD_REASONS,
  type OnHoldReason,
  type TransitionInput,
  type TransitionRule,
} from '../../../../shared/domain';
import { useFormDialog } from '../../app/useFormDialog';

const RESOLVING_STATES = ['resolved', 'completed', 'closed'];

/** The move that "resolve" means for this ticket's kind and state, if one is allowed. */
export function resolvingRule(rules: readonly TransitionRule[]): TransitionRule | undefined {
  for (const s of RESOLVING_STATES) {
    const r = rules.find((x) => x.to === s);
    if (r) return r;
  }
  return undefined;
}

/** The state moves the state machine allows from here, as buttons. */
export function Transitions({
  rules,
  onAsk,
}: {
  readonly rules: readonly TransitionRule[];
  readonly onAsk: (rule: TransitionRule) => void;
}) {
  if (rules.length === 0) return null;
  return (
    <Stack
      direction="row"
      spacing={1}
      sx={{ flexWrap: 'wrap' }}
      useFlexGap
      role="group"
      aria-label="State changes"
    >
      {rules.map((r) => (
        <Button key={r.to} size="small" variant="outlined" onClick={() => onAsk(r)}>
          {r.label}
        </Button>
      ))}
    </Stack>
  );
}

/** Asks for the inputs a move requires (on-hold reason, resolution code and notes). */
export function TransitionDialog({
  rule,
  onCancel,
  onConfirm,
}: {
  readonly rule: TransitionRule;
  readonly onCancel: () => void;
  readonly onConfirm: (input: TransitionInput) => void;
}) {
  const [reason, setReason] = useState<OnHoldReason>('awaiting-caller');
  const [code, setCode] = useState('');
  const [notes, setNotes] = useState('');
  const needsReason = rule.requires.includes('onHoldReason');
  const needsResolution = rule.requires.includes('resolution');
  const ready = !needsResolution || (code.trim() !== '' && notes.trim() !== '');
  const confirm = () => {
    if (!ready) return;
    onConfirm({
      ...(needsReason ? { onHoldReason: reason } : {}),
      ...(needsResolution ? { resolution: { code: code.trim(), notes: notes.trim() } } : {}),
    });
  };
  const form = useFormDialog({
    dirty: code.trim() !== '' || notes.trim() !== '',
    canSubmit: ready,
    onSubmit: confirm,
    onCancel,
  });
  return (
    <Dialog open {...form.dialogProps} aria-labelledby="transition-title">
      <DialogTitle id="transition-title">{rule.label}</DialogTitle>
      <DialogContent>
        <Stack
          spacing={2}
          sx={{ pt: 1, minWidth: 360 }}
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            confirm();
          }}
        >
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
                autoFocus
                helperText={
                  code.trim() === '' ? 'Required, e.g. fixed, workaround, duplicate' : ' '
                }
              />
              <TextField
                label="Resolution notes"
                value={notes}
                onChange={(e) => setNotes(e.target.value)}
                multiline
                minRows={2}
                required
                helperText={notes.trim() === '' ? 'Required: what was done' : ' '}
              />
            </>
          )}
          {!needsReason && !needsResolution && <span>Move the ticket to {rule.to}?</span>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={form.cancel}>Cancel</Button>
        <Button variant="contained" disabled={!ready} onClick={confirm}>
          {rule.label}
        </Button>
      </DialogActions>
      {form.confirm}
    </Dialog>
  );
}

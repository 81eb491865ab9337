/**
 * The keyboard contract every dialog of the console keeps, in one place: Enter in a single-line
 * field submits, Ctrl+Enter (Cmd+Enter) submits from anywhere including a multi-line field,
 * Escape cancels, and cancelling (Escape, a click outside, the Cancel button) asks first when
 * something was typed, so a half-filled form is never silently thrown away.
 *
 *   const form = useFormDialog({ dirty, canSubmit, onSubmit: save, onCancel: onClose });
 *   <Dialog open {...form.dialogProps}> … <Button onClick={form.cancel}>Cancel</Button> </Dialog>
 *   {form.confirm}
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@mui/material';

/** Input types where Enter means "done" (a text area, a button or a list keeps its Enter). */
const SINGLE_LINE = new Set(['text', 'search', 'email', 'number', 'tel', 'url', 'password']);

export type FormDialogOptions = {
  /** Something was typed or chosen that cancelling would lose. */
  readonly dirty: boolean;
  /** false: Enter / Ctrl+Enter do nothing (the submit button is disabled too). */
  readonly canSubmit?: boolean;
  readonly onSubmit: () => void;
  readonly onCancel: () => void;
};

export type FormDialog = {
  /** Spread on the MUI `<Dialog>`: its close (Escape, backdrop) and key handling. */
  readonly dialogProps: {
    readonly onClose: () => void;
    readonly onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
  };
  /** For the Cancel button: cancels, asking first when something would be lost. */
  readonly cancel: () => void;
  /** The "discard what you typed?" confirmation; render it next to the dialog. */
  readonly confirm: ReactNode;
};

/** What a key press in a dialog means: submit, or nothing for the dialog to do. */
export function dialogKeyAction(e: {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly defaultPrevented: boolean;
  readonly isComposing: boolean;
  readonly target: EventTarget | null;
}): 'submit' | null {
  // A field that used the key itself (an option picked in a list, a chip added), or an input
  // method composing text, keeps it.
  if (e.key !== 'Enter' || e.defaultPrevented || e.isComposing) return null;
  if (e.ctrlKey || e.metaKey) return 'submit';
  if (e.shiftKey || e.altKey) return null;
  const t = e.target as Partial<HTMLInputElement> | null;
  if (t?.tagName !== 'INPUT' || typeof t.type !== 'string' || !SINGLE_LINE.has(t.type)) return null;
  // An open list under a combobox: Enter is the list's.
  return t.getAttribute?.('aria-expanded') === 'true' ? null : 'submit';
}

export function useFormDialog({
  dirty,
  canSubmit = true,
  onSubmit,
  onCancel,
}: FormDialogOptions): FormDialog {
  const [asking, setAsking] = useState(false);
  const cancel = () => {
    if (dirty) setAsking(true);
    else onCancel();
  };
  return {
    cancel,
    dialogProps: {
      onClose: cancel,
      onKeyDown: (e) => {
        // Keys in the confirmation (a portal, but a React child) are the confirmation's.
        if (asking) return;
        if (
          dialogKeyAction({
            key: e.key,
            ctrlKey: e.ctrlKey,
            metaKey: e.metaKey,
            shiftKey: e.shiftKey,
            altKey: e.altKey,
            defaultPrevented: e.defaultPrevented,
            isComposing: e.nativeEvent.isComposing,
            target: e.target,
          }) !== 'submit'
        )
          return;
        // preventDefault: no native form submission on top of this one.
        e.preventDefault();
        e.stopPropagation();
        if (canSubmit) onSubmit();
      },
    },
    confirm: asking ? (
      <Dialog
        open
        role="alertdialog"
        onClose={() => setAsking(false)}
        aria-labelledby="discard-title"
        aria-describedby="discard-text"
      >
        <DialogTitle id="discard-title">Discard what you typed?</DialogTitle>
        <DialogContent>
          <DialogContentText id="discard-text">
            Closing this form loses what you entered in it.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button autoFocus onClick={() => setAsking(false)}>
            Keep editing
          </Button>
          <Button
            color="error"
            onClick={() => {
              setAsking(false);
              onCancel();
            }}
          >
            Discard
          </Button>
        </DialogActions>
      </Dialog>
    ) : null,
  };
}

/**
 * A whole small form dialog (title, content, Cancel and a submit button) keeping the contract
 * above, for dialogs that are not worth a component of their own.
 */
export function FormDialog({
  title,
  titleId,
  submitLabel,
  dirty,
  canSubmit = true,
  onSubmit,
  onCancel,
  fullWidth,
  children,
}: FormDialogOptions & {
  readonly title: ReactNode;
  readonly titleId: string;
  readonly submitLabel: string;
  readonly fullWidth?: boolean;
  readonly children: ReactNode;
}) {
  const form = useFormDialog({ dirty, canSubmit, onSubmit, onCancel });
  return (
    <>
      <Dialog open {...form.dialogProps} fullWidth={fullWidth} aria-labelledby={titleId}>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>{children}</DialogContent>
        <DialogActions>
          <Button onClick={form.cancel}>Cancel</Button>
          <Button variant="contained" disabled={!canSubmit} onClick={onSubmit}>
            {submitLabel}
          </Button>
        </DialogActions>
      </Dialog>
      {form.confirm}
    </>
  );
}

import { useImperativeHandle, useRef, useState, type Ref } from 'react';
import { useUi } from '../../app/ui-store';
import {
  Alert,
  Box,
  Button,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
} from '@mui/material';

export type ComposerMode = 'work-note' | 'reply';

/** What the ticket's shortcuts can do with the composer. */
export type ComposerHandle = { readonly start: (mode: ComposerMode) => void };

/**
 * Work note or reply. The mode is unmistakable: a reply is shown in warning colours with a
 * banner saying the requester will read it, and the send button says so too.
 */
export function Composer({
  ref,
  ticket,
  onAdd,
  onTyping,
  mailTo,
}: {
  readonly ref?: Ref<ComposerHandle>;
  /** The ticket's number: an unsent note or reply is kept as its draft until sent or discarded. */
  readonly ticket: string;
  /** The requester's mail address the reply goes to (null: not mailed, only shown here). */
  readonly mailTo?: { readonly name: string; readonly email: string | null };
  readonly onAdd: (type: ComposerMode, body: string) => Promise<unknown>;
  readonly onTyping: (typing: boolean) => void;
}) {
  const draft = useUi((s) => s.drafts[ticket]);
  const setDraft = useUi((s) => s.setDraft);
  const [mode, setMode] = useState<ComposerMode>('work-note');
  // With a draft, its mode wins (a reload brings back a half-written reply as a reply).
  const type = draft?.mode ?? mode;
  const body = draft?.body ?? '';
  const setType = (m: ComposerMode) => {
    setMode(m);
    if (draft) setDraft(ticket, { ...draft, mode: m });
  };
  const setBody = (text: string) => {
    setMode(type);
    setDraft(ticket, { mode: type, body: text });
  };
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(ref, () => ({
    start: (mode) => {
      setType(mode);
      input.current?.focus();
    },
  }));
  const reply = type === 'reply';
  return (
    <Stack
      spacing={1}
      component="form"
      aria-label="Add to activity"
      onSubmit={(e) => {
        e.preventDefault();
        const text = body;
        if (text.trim() === '') return;
        // The text stays until it is saved, so a refused save loses nothing.
        void onAdd(type, text).then(
          () => {
            // Only what was sent is cleared: text typed meanwhile stays as the draft.
            const now = useUi.getState().drafts[ticket];
            if (now?.body === text) setDraft(ticket, null);
            onTyping(false);
          },
          () => undefined,
        );
      }}
    >
      <ToggleButtonGroup
        exclusive
        size="small"
        value={type}
        onChange={(_, v: ComposerMode | null) => v && setType(v)}
        aria-label="Note or reply"
      >
        <ToggleButton value="work-note">Work note (internal)</ToggleButton>
        <ToggleButton value="reply" color="warning">
          Reply to requester (public)
        </ToggleButton>
      </ToggleButtonGroup>
      {reply && (
        <Alert severity="warning" variant="outlined" data-testid="reply-warning">
          Public reply: the requester will read this.
          {mailTo && (
            <Box component="span" data-testid="reply-recipient" sx={{ display: 'block' }}>
              {mailTo.email
                ? `It will be mailed to ${mailTo.name} <${mailTo.email}>.`
                : `${mailTo.name} has no mail address: the reply will not be mailed.`}
            </Box>
          )}
        </Alert>
      )}
      <TextField
        inputRef={input}
        label={reply ? 'Reply (the requester will see this)' : 'Work note (staff only)'}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          onTyping(e.target.value.trim() !== '');
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') input.current?.blur();
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.currentTarget.closest<HTMLFormElement>('form')?.requestSubmit();
          }
        }}
        multiline
        minRows={2}
        color={reply ? 'warning' : 'primary'}
        focused={reply ? true : undefined}
        helperText={
          body.trim() !== ''
            ? 'Markdown. Ctrl+Enter to send. Kept as a draft on this device until sent.'
            : 'Markdown. Ctrl+Enter to send.'
        }
      />
      <Box sx={{ display: 'flex', gap: 1 }}>
        <Button
          type="submit"
          variant="contained"
          color={reply ? 'warning' : 'primary'}
          disabled={body.trim() === ''}
        >
          {reply ? 'Send reply' : 'Add note'}
        </Button>
        {body.trim() !== '' &&
          (confirmDiscard ? (
            <>
              <Button
                color="error"
                onClick={() => {
                  setDraft(ticket, null);
                  setConfirmDiscard(false);
                  onTyping(false);
                }}
              >
                Discard the draft
              </Button>
              <Button onClick={() => setConfirmDiscard(false)}>Keep it</Button>
            </>
          ) : (
            <Button onClick={() => setConfirmDiscard(true)}>Discard…</Button>
          ))}
      </Box>
    </Stack>
  );
}

import { useImperativeHandle, useRef, useState, type Ref } from 'react';
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
  onAdd,
  onTyping,
  mailTo,
}: {
  readonly ref?: Ref<ComposerHandle>;
  /** The requester's mail address the reply goes to (null: not mailed, only shown here). */
  readonly mailTo?: { readonly name: string; readonly email: string | null };
  readonly onAdd: (type: ComposerMode, body: string) => Promise<unknown>;
  readonly onTyping: (typing: boolean) => void;
}) {
  const [type, setType] = useState<ComposerMode>('work-note');
  const [body, setBody] = useState('');
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
            setBody('');
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
        helperText="Markdown. Ctrl+Enter to send."
      />
      <Box>
        <Button
          type="submit"
          variant="contained"
          color={reply ? 'warning' : 'primary'}
          disabled={body.trim() === ''}
        >
          {reply ? 'Send reply' : 'Add note'}
        </Button>
      </Box>
    </Stack>
  );
}

import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import { newPasswordError } from '../../data/session';

type Props = {
  readonly name: string;
  readonly onSetPassword: (password: string) => Promise<void>;
  readonly onSignOut: () => void;
};

/** After an admin reset the password: the person sets their own before the console opens. */
export function NewPasswordPage({ name, onSetPassword, onSignOut }: Props) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad = newPasswordError(password, again);
    if (bad !== null) {
      setError(bad);
      return;
    }
    setBusy(true);
    setError(null);
    onSetPassword(password).catch((err: unknown) => {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    });
  };

  return (
    <Box
      component="main"
      sx={{
        display: 'grid',
        placeItems: 'center',
        minHeight: '100vh',
        bgcolor: 'background.default',
      }}
    >
      <Paper
        component="form"
        onSubmit={submit}
        sx={{ p: 4, width: 380 }}
        aria-labelledby="new-password-title"
      >
        <Stack spacing={2}>
          <Typography id="new-password-title" variant="h5" component="h1">
            Set a new password
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {name}, your password was reset. Choose a new one (at least 10 characters) to go on.
          </Typography>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          <TextField
            label="New password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoFocus
            autoComplete="new-password"
          />
          <TextField
            label="New password again"
            type="password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            autoComplete="new-password"
          />
          <Button type="submit" variant="contained" disabled={busy}>
            {busy ? 'Saving…' : 'Set the password'}
          </Button>
          <Button onClick={onSignOut} disabled={busy}>
            Sign out
          </Button>
        </Stack>
      </Paper>
    </Box>
  );
}

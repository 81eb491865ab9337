import { useState, type FormEvent } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  FormControlLabel,
  Paper,
  Stack,
  TextField,
  Typography,
} from '@mui/material';

type Props = {
  readonly onSignIn: (name: string, password: string, remember: boolean) => Promise<void>;
  readonly notice?: string | undefined;
  /** Offer "Remember me" (the desktop app, where the OS keychain encrypts it). */
  readonly canRemember?: boolean;
};

/** Sign-in with the staff account's name and password (CouchDB cookie session). */
export function LoginPage({ onSignIn, notice, canRemember = false }: Props) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [remember, setRemember] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || !password) {
      setError('Enter your name and password.');
      return;
    }
    setBusy(true);
    setError(null);
    onSignIn(name.trim(), password, remember).catch((err: unknown) => {
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
        sx={{ p: 4, width: 360 }}
        aria-labelledby="login-title"
      >
        <Stack spacing={2}>
          <Typography id="login-title" variant="h5" component="h1">
            Switchboard
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Sign in with your service desk account.
          </Typography>
          {notice && <Alert severity="warning">{notice}</Alert>}
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
            autoComplete="username"
          />
          <TextField
            label="Password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
          />
          {canRemember && (
            <FormControlLabel
              control={
                <Checkbox checked={remember} onChange={(e) => setRemember(e.target.checked)} />
              }
              label="Remember me on this computer (stored encrypted by the OS keychain)"
            />
          )}
          <Button type="submit" variant="contained" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
        </Stack>
      </Paper>
    </Box>
  );
}

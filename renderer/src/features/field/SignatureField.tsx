import { useEffect, useRef, useState } from 'react';
import { Alert, Box, Button, Stack, TextField, Typography } from '@mui/material';
import SignaturePad from 'signature_pad';
import { explainWriteError } from '../../data/storage-errors';

/** The customer signs on screen (signature_pad) and types their name. */
export function SignatureField({
  onSign,
}: {
  readonly onSign: (png: Blob, signedBy: string) => Promise<unknown>;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const p = new SignaturePad(canvas.current, { backgroundColor: 'rgb(255,255,255)' });
    pad.current = p;
    return () => p.off();
  }, []);
  const sign = () => {
    const p = pad.current;
    if (!p || p.isEmpty()) return setError('The customer has not signed yet.');
    if (name.trim() === '') return setError('Type the name of the person signing.');
    setError(null);
    setBusy(true);
    canvas.current?.toBlob((blob) => {
      if (!blob) {
        setBusy(false);
        return setError('The signature could not be captured.');
      }
      onSign(blob, name.trim()).then(
        () => {
          p.clear();
          setName('');
          setBusy(false);
        },
        (e: unknown) => {
          setBusy(false);
          void explainWriteError(e).then(setError);
        },
      );
    }, 'image/png');
  };
  return (
    <Stack spacing={1} component="section" aria-label="Customer signature">
      <Typography variant="subtitle2">Customer signature</Typography>
      {error && <Alert severity="error">{error}</Alert>}
      <Box
        component="canvas"
        ref={canvas}
        width={480}
        height={160}
        data-testid="signature-canvas"
        aria-label="Signature area: the customer signs here"
        sx={{
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
          touchAction: 'none',
          maxWidth: '100%',
        }}
      />
      <Stack direction="row" spacing={1}>
        <TextField
          size="small"
          label="Name of the person signing"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Button onClick={() => pad.current?.clear()}>Clear</Button>
        <Button variant="contained" onClick={sign} disabled={busy}>
          Save signature
        </Button>
      </Stack>
    </Stack>
  );
}

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
    const c = canvas.current;
    if (!c) return undefined;
    const p = new SignaturePad(c, { backgroundColor: 'rgb(255,255,255)' });
    pad.current = p;
    // As signature_pad's docs describe: the bitmap is the canvas's displayed size times the
    // device pixel ratio, the context scaled to match, so strokes land where the pen is and the
    // stored image holds all of them; on a resize (or a ratio change, which fires `resize`) the
    // bitmap follows and the strokes so far are drawn again instead of being lost.
    const fit = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const w = Math.round(c.clientWidth * ratio);
      const h = Math.round(c.clientHeight * ratio);
      if (w === 0 || h === 0 || (c.width === w && c.height === h)) return;
      c.width = w;
      c.height = h;
      c.getContext('2d')?.scale(ratio, ratio);
      p.redraw();
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(c);
    window.addEventListener('resize', fit);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', fit);
      p.off();
    };
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
        data-testid="signature-canvas"
        aria-label="Signature area: the customer signs here"
        sx={{
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
          touchAction: 'none',
          display: 'block',
          width: '100%',
          maxWidth: 640,
          height: 200,
          boxSizing: 'border-box',
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

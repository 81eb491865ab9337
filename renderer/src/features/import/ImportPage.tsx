import { useRef, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  LinearProgress,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useWorkspace } from '../../app/services';
import { REFUSALS_HEADER, refusalLine, summaryLines } from '../../../../shared/import/report';
import type { ImportReport, Refusal } from '../../../../shared/import/run-import';
import { DATE_FORMATS, type DateFormat } from '../../../../shared/import/servicenow';

type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly dryRun: boolean }
  | { readonly kind: 'done'; readonly report: ImportReport }
  | { readonly kind: 'failed'; readonly error: string };

type Progress = { readonly percent: number; readonly text: string; readonly steps: number };

/** True if the session may import (the server's rules agree: admins only). */
export function canImport(roles: readonly string[]): boolean {
  return roles.includes('admin') || roles.includes('_admin');
}

/**
 * Admin page: import a ServiceNow incident export. The file is read and imported here, in the
 * console, over the admin's own session (data/import-runner.ts); the page shows a progress bar
 * while it runs and the summary with every refused row when it is done.
 */
export function ImportPage() {
  const { couchUrl, dbPrefix, session } = useWorkspace();
  const [file, setFile] = useState<File | null>(null);
  const [dateFormat, setDateFormat] = useState<DateFormat>('d/m/yyyy');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [progress, setProgress] = useState<Progress | null>(null);
  const refusals = useRef<Refusal[]>([]);

  if (!canImport(session.roles))
    return (
      <Alert severity="info" sx={{ m: 2 }}>
        Only administrators import data.
      </Alert>
    );

  const run = async (dryRun: boolean) => {
    if (!file) return;
    refusals.current = [];
    setPhase({ kind: 'running', dryRun });
    setProgress({ percent: 0, text: 'Starting…', steps: 0 });
    try {
      // Loaded on first use: the CSV parser is not part of the console's start-up bundle.
      const { importFile } = await import('../../data/import-runner');
      const report = await importFile(file, couchUrl, dbPrefix, {
        dryRun,
        dateFormat,
        batchIncidents: 50,
        onRefusal: (r) => refusals.current.push(r),
        onProgress: (p) =>
          setProgress((prev) => ({
            percent:
              p.bytes === null || file.size === 0 ? 0 : Math.min(100, (p.bytes / file.size) * 100),
            text: `${p.rows} rows read, ${p.incidents} incidents, ${p.refused} rows refused`,
            steps: (prev?.steps ?? 0) + 1,
          })),
      });
      setProgress((prev) => ({
        percent: 100,
        text: prev?.text ?? '',
        steps: (prev?.steps ?? 0) + 1,
      }));
      setPhase({ kind: 'done', report });
    } catch (err) {
      setPhase({ kind: 'failed', error: err instanceof Error ? err.message : String(err) });
    }
  };

  const downloadRefusals = () => {
    const text = REFUSALS_HEADER + refusals.current.map(refusalLine).join('');
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${(file?.name ?? 'import').replace(/\.csv$/i, '')}.refusals.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const running = phase.kind === 'running';
  return (
    <Box component="main" sx={{ p: 2, maxWidth: 900 }} aria-labelledby="import-title">
      <Typography id="import-title" variant="h5" component="h2" gutterBottom>
        Import from ServiceNow
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        An incident export from ServiceNow’s audit trail (one CSV row per update). Each incident
        becomes one ticket with its history; its ServiceNow number (INC0000045) finds it in search
        and the palette. Importing the same file again changes nothing; a later export updates and
        adds. A dry run reads the whole file and writes nothing.
      </Typography>
      <Card variant="outlined">
        <CardContent>
          <Stack
            direction="row"
            spacing={2}
            useFlexGap
            sx={{ alignItems: 'center', flexWrap: 'wrap' }}
          >
            <Button variant="outlined" component="label" disabled={running}>
              Choose a CSV file
              <input
                hidden
                type="file"
                accept=".csv,text/csv"
                data-testid="import-file"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setPhase({ kind: 'idle' });
                  setProgress(null);
                }}
              />
            </Button>
            <Typography variant="body2" data-testid="import-file-name">
              {file ? `${file.name} (${Math.round(file.size / 1024)} KB)` : 'No file chosen'}
            </Typography>
            <TextField
              select
              size="small"
              label="Dates in the file"
              value={dateFormat}
              onChange={(e) => setDateFormat(e.target.value as DateFormat)}
              disabled={running}
              sx={{ minWidth: 160 }}
            >
              {DATE_FORMATS.map((f) => (
                <MenuItem key={f} value={f}>
                  {f} HH:MM
                </MenuItem>
              ))}
            </TextField>
            <Button
              variant="outlined"
              disabled={!file || running}
              onClick={() => void run(true)}
              data-testid="import-dry-run"
            >
              Dry run
            </Button>
            <Button
              variant="contained"
              disabled={!file || running}
              onClick={() => void run(false)}
              data-testid="import-run"
            >
              Import
            </Button>
          </Stack>
          {progress && (
            <Box sx={{ mt: 2 }}>
              <LinearProgress
                variant="determinate"
                value={progress.percent}
                aria-label="Import progress"
                data-testid="import-progress"
                data-steps={progress.steps}
              />
              <Typography variant="caption" color="text.secondary" aria-live="polite">
                {Math.round(progress.percent)}% · {progress.text}
              </Typography>
            </Box>
          )}
        </CardContent>
      </Card>
      {phase.kind === 'failed' && (
        <Alert severity="error" role="alert" sx={{ mt: 2 }}>
          The import stopped: {phase.error}. Nothing already imported is lost; run it again to
          continue.
        </Alert>
      )}
      {phase.kind === 'done' && <Result report={phase.report} onDownload={downloadRefusals} />}
    </Box>
  );
}

function Result({
  report,
  onDownload,
}: {
  readonly report: ImportReport;
  readonly onDownload: () => void;
}) {
  return (
    <Box sx={{ mt: 2 }} data-testid="import-result">
      <Alert
        severity={
          report.serverRefusals.length > 0 || report.refusedRows > 0 ? 'warning' : 'success'
        }
      >
        {summaryLines(report).map((l) => (
          <div key={l}>{l}</div>
        ))}
      </Alert>
      {report.refusedRows > 0 && (
        <Box sx={{ mt: 2 }}>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Typography variant="subtitle1" component="h3">
              Refused rows ({report.refusedRows})
            </Typography>
            <Button size="small" onClick={onDownload} data-testid="import-refusals-download">
              Download the refusals CSV
            </Button>
          </Stack>
          <Table size="small" aria-label="Refused rows" data-testid="import-refusals">
            <TableHead>
              <TableRow>
                <TableCell>Line</TableCell>
                <TableCell>Number</TableCell>
                <TableCell>Reason</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {report.refusals.slice(0, 200).map((r) => (
                <TableRow key={r.line}>
                  <TableCell>{r.line}</TableCell>
                  <TableCell>{r.number ?? '—'}</TableCell>
                  <TableCell>{r.reason}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Box>
  );
}

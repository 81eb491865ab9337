import { useEffect, useMemo, useState } from 'react';
import { of } from 'rxjs';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Chip,
  Divider,
  FormControlLabel,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { useDirectory } from '../../app/useDirectory';
import { useNow } from '../../app/useNow';
import { textOf } from '../../data/directory';
import {
  addActivity,
  observeActivity,
  observeTicket,
  setFieldStatus,
  updateWorkOrder,
} from '../../data/tickets-repo';
import type { FileInfo } from '../../data/files';
import {
  FIELD_STATUSES,
  FIELD_STATUS_LABELS,
  attachedFiles,
  cannotComplete,
  checklistState,
  partData,
  partsUsed,
  timeEntries,
  timeEntryData,
  type AttachedFile,
  type FieldStatus,
} from '../../../../shared/field/field';
import type { ActivityEntry } from '../../../../shared/domain';
import { Markdown } from '../rich-text/Markdown';
import { Composer } from '../ticket/Composer';
import { ActivityList } from '../ticket/ActivityList';
import { SignatureField } from './SignatureField';
import { TicketRefusals } from '../pending/RefusalAlerts';
import { explainWriteError } from '../../data/storage-errors';

const NO_ACTIVITY: readonly ActivityEntry[] = [];
const EMPTY_HISTORY$ = of(null);
const NO_FILES: readonly FileInfo[] = [];
const TIMER_KEY = 'switchboard.timer';

type Timer = { readonly ticketNumber: string; readonly startedAt: string };

function readTimer(user: string): Timer | null {
  try {
    const t = JSON.parse(localStorage.getItem(`${TIMER_KEY}:${user}`) ?? 'null') as Timer | null;
    return t && typeof t.ticketNumber === 'string' && typeof t.startedAt === 'string' ? t : null;
  } catch {
    return null;
  }
}

function duration(ms: number): string {
  const m = Math.floor(ms / 60_000);
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** A photo or signature: its thumbnail (from this device or fetched on demand) and sync state. */
function FileThumb({ file, info }: { readonly file: AttachedFile; readonly info?: FileInfo }) {
  const { files } = useWorkspace();
  const [url, setUrl] = useState<string | null>(null);
  const [asked, setAsked] = useState(info !== undefined);
  useEffect(() => {
    if (!asked) return undefined;
    let revoke: string | null = null;
    let live = true;
    void files.get(file.fileId).then((blob) => {
      if (!blob || !live) return;
      revoke = URL.createObjectURL(blob);
      setUrl(revoke);
    });
    return () => {
      live = false;
      if (revoke) URL.revokeObjectURL(revoke);
    };
  }, [asked, files, file.fileId]);
  const state = info?.state ?? 'on server';
  return (
    <Stack
      spacing={0.5}
      sx={{ width: 150 }}
      data-testid="field-file"
      data-kind={file.kind}
      data-state={state}
    >
      {url ? (
        <Box
          component="img"
          src={url}
          alt={file.kind === 'signature' ? `Signature of ${file.signedBy ?? ''}` : file.name}
          sx={{ width: 150, height: 100, objectFit: 'cover', border: 1, borderColor: 'divider' }}
        />
      ) : (
        <Button size="small" variant="outlined" onClick={() => setAsked(true)} sx={{ height: 100 }}>
          Show {file.kind}
        </Button>
      )}
      <Typography variant="caption" noWrap title={file.name}>
        {file.kind === 'signature' ? `Signed by ${file.signedBy ?? '?'}` : file.name}
      </Typography>
      <Chip
        size="small"
        label={state === 'pending' ? 'not uploaded' : state}
        color={state === 'failed' ? 'error' : state === 'pending' ? 'warning' : 'default'}
        variant="outlined"
      />
      {info?.state === 'failed' && (
        <>
          <Typography variant="caption" color="error">
            {info.error}
          </Typography>
          <Button size="small" onClick={() => void files.retry(file.fileId)}>
            Retry upload
          </Button>
        </>
      )}
    </Stack>
  );
}

/** One work order in the field: status, checklist, time, parts, photos, signature, notes. */
export function WorkOrderPanel({ number }: { readonly number: string }) {
  const { db, session, files, queues, ciHistory } = useWorkspace();
  const cached = useObservable(
    useMemo(() => ciHistory?.history$ ?? EMPTY_HISTORY$, [ciHistory]),
    null,
  );
  const me = session.name;
  const ticket = useObservable(
    useMemo(() => observeTicket(db, number), [db, number]),
    undefined,
  );
  const activity = useObservable(
    useMemo(() => observeActivity(db, number), [db, number]),
    NO_ACTIVITY,
  );
  const stored = useObservable(files.files$, NO_FILES);
  const people = useDirectory('person');
  const cis = useDirectory('ci');
  const kb = useDirectory('kb');
  const now = useNow(15_000);
  const [error, setError] = useState<string | null>(null);
  const [timer, setTimer] = useState<Timer | null>(() => readTimer(me));
  const [manual, setManual] = useState({ from: '', to: '', note: '' });
  const [part, setPart] = useState({ partNo: '', name: '', qty: '1' });
  const [site, setSite] = useState<string | null>(null);

  if (ticket === undefined) return null;
  if (ticket === null)
    return <Alert severity="warning">Work order {number} is not on this device.</Alert>;

  const run = (op: () => Promise<unknown>): Promise<unknown> => {
    setError(null);
    return op().catch((e: unknown) => {
      void explainWriteError(e).then(setError);
      throw e;
    });
  };
  const log = (type: ActivityEntry['type'], data: Record<string, unknown>, body = '') =>
    run(() => addActivity(db, { ticketNumber: number, type, by: me, body, data }));

  const wo = ticket.workorder;
  const checklist = checklistState(ticket, activity);
  const blocker = cannotComplete(ticket, activity);
  const entries = timeEntries(activity);
  const parts = partsUsed(activity);
  const attached = attachedFiles(activity);
  const fileInfo = new Map(stored.map((f) => [f.id, f]));
  const contact = people.find((p) => p.id === wo?.contactId);
  const ci = cis.find((c) => c.id === ticket.ciId);
  // The CI's history: tickets on this device, and what the server told us while online.
  const history = new Map<
    string,
    { number: string; title: string; state: string; createdAt: string }
  >();
  if (ticket.ciId) {
    for (const t of queues.index.filterAll((x) => x.ciId === ticket.ciId)) history.set(t.number, t);
    for (const h of cached?.byCi[ticket.ciId] ?? [])
      if (!history.has(h.number)) history.set(h.number, h);
  }
  history.delete(number);
  const ciHistoryList = [...history.values()]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 5);
  const articles = kb.filter(
    (k) =>
      ticket.links.some((l) => l.kind === 'kb' && l.id === k.id) ||
      textOf(k.category) === ticket.category,
  );
  const running = timer?.ticketNumber === number ? timer : null;

  const startTimer = () => {
    const t = { ticketNumber: number, startedAt: new Date().toISOString() };
    localStorage.setItem(`${TIMER_KEY}:${me}`, JSON.stringify(t));
    setTimer(t);
  };
  const stopTimer = () => {
    if (!running) return;
    const d = timeEntryData(running.startedAt, new Date().toISOString(), 'Timer');
    if (!d.ok) return setError(d.error);
    void log(
      'time-entry',
      d.data,
      `Worked ${duration(Date.parse(String(d.data.endedAt)) - Date.parse(running.startedAt))}`,
    ).then(
      () => {
        localStorage.removeItem(`${TIMER_KEY}:${me}`);
        setTimer(null);
      },
      () => undefined,
    );
  };
  const attach = async (list: FileList | null) => {
    for (const f of Array.from(list ?? [])) {
      await run(async () => {
        const info = await files.add(number, f, f.name, me);
        await addActivity(db, {
          ticketNumber: number,
          type: 'attachment',
          by: me,
          body: `Photo ${info.name}`,
          data: { fileId: info.id, name: info.name, type: info.type, size: info.size },
        });
      }).catch(() => undefined);
    }
  };

  return (
    <Stack
      spacing={2}
      sx={{ p: 2 }}
      data-testid="work-order"
      data-number={number}
      component="section"
      aria-label={`Work order ${number}`}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <Typography variant="h6" component="h2" sx={{ fontFamily: 'monospace' }}>
          {number}
        </Typography>
        <Chip size="small" label={ticket.state} color="primary" data-testid="wo-state" />
        <Chip
          size="small"
          label={FIELD_STATUS_LABELS[wo?.fieldStatus ?? 'scheduled']}
          data-testid="wo-field-status"
        />
      </Stack>
      <Typography variant="subtitle1">{ticket.title}</Typography>
      <TicketRefusals number={number} />
      {error && (
        <Alert severity="error" onClose={() => setError(null)} role="alert">
          {error}
        </Alert>
      )}
      <Box>
        {site === null ? (
          <Typography variant="body2">
            <b>Site:</b> <span data-testid="wo-site">{wo?.site || '—'}</span>
            {wo?.scheduledFor
              ? ` · scheduled ${new Date(wo.scheduledFor).toLocaleString()}`
              : ''}{' '}
            <Button size="small" onClick={() => setSite(wo?.site ?? '')}>
              Correct site
            </Button>
          </Typography>
        ) : (
          <Stack
            direction="row"
            spacing={1}
            component="form"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => updateWorkOrder(db, number, { site }, me)).then(
                () => setSite(null),
                () => undefined,
              );
            }}
          >
            <TextField
              size="small"
              label="Site address"
              value={site}
              onChange={(e) => setSite(e.target.value)}
            />
            <Button type="submit" variant="contained">
              Save site
            </Button>
            <Button onClick={() => setSite(null)}>Cancel</Button>
          </Stack>
        )}
        <Typography variant="body2">
          <b>Contact:</b> {contact ? `${contact.name} ${textOf(contact.phone)}` : '—'}
        </Typography>
        <Typography variant="body2">
          <b>Affected CI:</b>{' '}
          {ci ? `${ci.name} (${textOf(ci.ciClass)}, ${textOf(ci.location)})` : '—'}
        </Typography>
        {ciHistoryList.length > 0 && (
          <Typography variant="body2" component="div" data-testid="ci-history">
            <b>CI history:</b>{' '}
            {ciHistoryList.map((t) => `${t.number} ${t.title} (${t.state})`).join(' · ')}
          </Typography>
        )}
      </Box>
      {ticket.description && <Markdown text={ticket.description} />}
      {articles.length > 0 && (
        <Box>
          <Typography variant="subtitle2">Knowledge</Typography>
          {articles.slice(0, 3).map((a) => (
            <details key={a.id}>
              <summary>{a.name}</summary>
              <Markdown text={textOf(a.body)} />
            </details>
          ))}
        </Box>
      )}
      <Divider />
      <Stack
        direction="row"
        spacing={1}
        sx={{ flexWrap: 'wrap' }}
        useFlexGap
        role="group"
        aria-label="Field status"
      >
        {FIELD_STATUSES.filter((s) => s !== 'scheduled').map((s: FieldStatus) => (
          <Button
            key={s}
            variant={wo?.fieldStatus === s ? 'contained' : 'outlined'}
            disabled={s === 'work-done' && blocker !== null}
            onClick={() =>
              void run(() => setFieldStatus(db, number, s, me, blocker)).catch(() => undefined)
            }
          >
            {FIELD_STATUS_LABELS[s]}
          </Button>
        ))}
      </Stack>
      {blocker && (
        <Typography variant="body2" color="warning.main" data-testid="completion-blocker">
          {blocker}
        </Typography>
      )}
      <Box component="section" aria-label="Checklist">
        <Typography variant="subtitle2">Checklist</Typography>
        {checklist.length === 0 && (
          <Typography variant="body2">No checklist for this job.</Typography>
        )}
        {checklist.map((i) => (
          <Box key={i.id}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={i.done}
                  onChange={(e) =>
                    void log(
                      'checklist-tick',
                      { itemId: i.id, done: e.target.checked },
                      `${e.target.checked ? 'Done' : 'Not done'}: ${i.label}`,
                    ).catch(() => undefined)
                  }
                />
              }
              label={`${i.label}${i.required ? ' (required)' : ''}`}
            />
          </Box>
        ))}
      </Box>
      <Box component="section" aria-label="Time">
        <Typography variant="subtitle2">
          Time · {duration(entries.reduce((n, e) => n + e.minutes, 0) * 60_000)} recorded
        </Typography>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', my: 1 }}>
          {running ? (
            <>
              <Chip
                color="success"
                label={`Timer running · ${duration(now - Date.parse(running.startedAt))}`}
                data-testid="timer"
              />
              <Button variant="contained" onClick={stopTimer}>
                Stop timer
              </Button>
            </>
          ) : (
            <Button variant="outlined" onClick={startTimer} disabled={timer !== null}>
              {timer ? `Timer running on ${timer.ticketNumber}` : 'Start timer'}
            </Button>
          )}
        </Stack>
        <Stack
          direction="row"
          spacing={1}
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            const d = timeEntryData(manual.from, manual.to, manual.note);
            if (!d.ok) return setError(d.error);
            void log('time-entry', d.data, `Worked ${d.data.minutes as number} min`).then(
              () => setManual({ from: '', to: '', note: '' }),
              () => undefined,
            );
          }}
        >
          <TextField
            size="small"
            type="datetime-local"
            label="From"
            value={manual.from}
            onChange={(e) => setManual({ ...manual, from: e.target.value })}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            size="small"
            type="datetime-local"
            label="To"
            value={manual.to}
            onChange={(e) => setManual({ ...manual, to: e.target.value })}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            size="small"
            label="What was done"
            value={manual.note}
            onChange={(e) => setManual({ ...manual, note: e.target.value })}
          />
          <Button type="submit">Add time</Button>
        </Stack>
        <Box component="ul" sx={{ pl: 3 }} data-testid="time-entries">
          {entries.map((e) => (
            <li key={e.id}>
              {new Date(e.startedAt).toLocaleTimeString()}–
              {new Date(e.endedAt).toLocaleTimeString()} · {e.minutes} min · {e.by}
              {e.note ? ` · ${e.note}` : ''}
            </li>
          ))}
        </Box>
      </Box>
      <Box component="section" aria-label="Parts used">
        <Typography variant="subtitle2">Parts used</Typography>
        <Stack
          direction="row"
          spacing={1}
          component="form"
          sx={{ my: 1 }}
          onSubmit={(e) => {
            e.preventDefault();
            const d = partData(part.partNo, part.name, Number(part.qty));
            if (!d.ok) return setError(d.error);
            void log('part', d.data, `Part: ${part.qty} × ${part.name}`).then(
              () => setPart({ partNo: '', name: '', qty: '1' }),
              () => undefined,
            );
          }}
        >
          <TextField
            size="small"
            label="Part number"
            value={part.partNo}
            onChange={(e) => setPart({ ...part, partNo: e.target.value })}
          />
          <TextField
            size="small"
            label="Part"
            value={part.name}
            onChange={(e) => setPart({ ...part, name: e.target.value })}
          />
          <TextField
            size="small"
            label="Qty"
            type="number"
            value={part.qty}
            onChange={(e) => setPart({ ...part, qty: e.target.value })}
            sx={{ width: 80 }}
          />
          <Button type="submit">Add part</Button>
        </Stack>
        <Box component="ul" sx={{ pl: 3 }} data-testid="parts">
          {parts.map((p) => (
            <li key={p.id}>
              {p.qty} × {p.name} {p.partNo ? `(${p.partNo})` : ''}
            </li>
          ))}
        </Box>
      </Box>
      <Box component="section" aria-label="Photos">
        <Typography variant="subtitle2">Photos and signature</Typography>
        <Button component="label" variant="outlined" sx={{ my: 1 }}>
          Add photos
          <input
            hidden
            type="file"
            accept="image/jpeg,image/png,image/webp,application/pdf"
            multiple
            data-testid="photo-input"
            onChange={(e) => {
              void attach(e.target.files);
              e.target.value = '';
            }}
          />
        </Button>
        <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
          {attached.map((f) => (
            <FileThumb
              key={f.fileId}
              file={f}
              {...(fileInfo.get(f.fileId) ? { info: fileInfo.get(f.fileId) } : {})}
            />
          ))}
        </Stack>
      </Box>
      <SignatureField
        onSign={(png, signedBy) =>
          run(async () => {
            const info = await files.add(
              number,
              new File([png], `signature-${number}.png`, { type: 'image/png' }),
              `signature-${number}.png`,
              me,
            );
            await addActivity(db, {
              ticketNumber: number,
              type: 'signature',
              by: me,
              body: `Signed by ${signedBy}`,
              data: {
                fileId: info.id,
                name: info.name,
                type: info.type,
                size: info.size,
                signedBy,
                signedAt: info.at,
              },
            });
          })
        }
      />
      <Divider />
      <Composer
        ticket={number}
        onTyping={() => undefined}
        onAdd={(type, body) => log(type, {}, body)}
      />
      <ActivityList entries={activity} sla={[]} onRestore={() => undefined} />
    </Stack>
  );
}

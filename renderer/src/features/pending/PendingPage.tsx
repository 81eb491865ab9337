import { useMemo, useState } from 'react';
import { of } from 'rxjs';
import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  Link,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { useUi } from '../../app/ui-store';
import {
  discardRejection,
  observeConflicts,
  observePendingChanges,
  observeQuarantine,
  observeRejections,
  type PendingChange,
  type QuarantinedDoc,
  type RejectedChange,
} from '../../data/pending';
import { observeTicket } from '../../data/tickets-repo';
import {
  fieldOfReason,
  fieldsToFix,
  refusedFields,
  resendRefused,
  type RefusedField,
} from '../../data/refusals';
import type { FileInfo } from '../../data/files';
import { textOf } from '../../data/directory';
import {
  isTicketKind,
  pathBetween,
  STATE_MACHINES,
  type ActivityEntry,
} from '../../../../shared/domain';
import { explainWriteError } from '../../data/storage-errors';
import { DeskServicesLine, FailedMail } from './MailStatus';

const NO_PENDING: readonly PendingChange[] = [];
const NO_REJECTED: readonly RejectedChange[] = [];
const NO_QUARANTINE: readonly QuarantinedDoc[] = [];
const NO_CONFLICTS: readonly ActivityEntry[] = [];
const NO_FILES: readonly FileInfo[] = [];

function ticketOf(store: string, docId: string, doc?: Readonly<Record<string, unknown>>): string {
  if (store === 'tickets') return docId;
  const n = doc?.ticketNumber;
  return typeof n === 'string' ? n : (docId.split(':')[0] ?? docId);
}

/** Everything not yet settled with the server: pending, refused, quarantined, conflicts. */
export function PendingPage() {
  const { db, files } = useWorkspace();
  const pending = useObservable(
    useMemo(() => observePendingChanges(db), [db]),
    NO_PENDING,
  );
  const rejected = useObservable(
    useMemo(() => observeRejections(db), [db]),
    NO_REJECTED,
  );
  const quarantined = useObservable(
    useMemo(() => observeQuarantine(db), [db]),
    NO_QUARANTINE,
  );
  const conflicts = useObservable(
    useMemo(() => observeConflicts(db, 50), [db]),
    NO_CONFLICTS,
  );
  const openTicket = useUi((s) => s.openTicket);
  const stored = useObservable(files.files$, NO_FILES);
  const unsent = stored.filter((f) => f.state === 'pending' || f.state === 'failed');
  const open = (n: string) => (
    <Link component="button" onClick={() => openTicket(n)} sx={{ fontFamily: 'monospace' }}>
      {n}
    </Link>
  );

  return (
    <Box sx={{ p: 2, display: 'grid', gap: 3, maxWidth: 1100 }} data-testid="pending-page">
      <Typography variant="h5" component="h2">
        Pending changes
      </Typography>
      <DeskServicesLine />
      <Box component="section" aria-labelledby="refused-title">
        <Typography id="refused-title" variant="h6" component="h3">
          Refused by the server ({rejected.length})
        </Typography>
        {rejected.length === 0 ? (
          <Typography color="text.secondary">Nothing was refused.</Typography>
        ) : (
          <Stack spacing={1}>
            {rejected.map((r) => (
              <RejectedCard
                key={r.key}
                rejection={r}
                link={open(ticketOf(r.store, r.docId, r.doc))}
              />
            ))}
          </Stack>
        )}
      </Box>
      <Box component="section" aria-labelledby="waiting-title">
        <Typography id="waiting-title" variant="h6" component="h3">
          Waiting to be sent ({pending.length})
        </Typography>
        {pending.length === 0 ? (
          <Typography color="text.secondary">Everything on this device has been sent.</Typography>
        ) : (
          <Box component="ul" sx={{ m: 0, pl: 3 }} data-testid="pending-list">
            {pending.slice(0, 500).map((p) => (
              <li key={p.key}>
                {p.store === 'tickets' ? 'Ticket' : 'Activity on'}{' '}
                {open(ticketOf(p.store, p.docId))} · changed{' '}
                {new Date(p.changedAt).toLocaleString()}
              </li>
            ))}
          </Box>
        )}
      </Box>
      <Box component="section" aria-labelledby="files-title">
        <Typography id="files-title" variant="h6" component="h3">
          Photos and signatures not uploaded yet ({unsent.length})
        </Typography>
        {unsent.length === 0 ? (
          <Typography color="text.secondary">
            Every file on this device is on the server.
          </Typography>
        ) : (
          <Box component="ul" sx={{ m: 0, pl: 3 }} data-testid="pending-files">
            {unsent.map((f) => (
              <li key={f.id}>
                {f.name} on {open(f.ticketNumber)} · {Math.ceil(f.size / 1024)} KB ·{' '}
                {f.state === 'failed' ? (
                  <>
                    refused: {f.error}{' '}
                    <Button size="small" onClick={() => void files.retry(f.id)}>
                      Retry
                    </Button>
                  </>
                ) : (
                  'waiting for the network'
                )}
              </li>
            ))}
          </Box>
        )}
      </Box>
      <FailedMail open={open} />
      <Box component="section" aria-labelledby="conflicts-title">
        <Typography id="conflicts-title" variant="h6" component="h3">
          Recent conflicts ({conflicts.length})
        </Typography>
        {conflicts.length === 0 ? (
          <Typography color="text.secondary">No conflicting edits were merged.</Typography>
        ) : (
          <Box component="ul" sx={{ m: 0, pl: 3 }}>
            {conflicts.map((c) => (
              <li key={c.id}>
                {open(c.ticketNumber)} · {c.body} ({new Date(c.at).toLocaleString()}) — open the
                ticket to restore the other value.
              </li>
            ))}
          </Box>
        )}
      </Box>
      <Box component="section" aria-labelledby="quarantine-title">
        <Typography id="quarantine-title" variant="h6" component="h3">
          Set aside as invalid ({quarantined.length})
        </Typography>
        {quarantined.length === 0 ? (
          <Typography color="text.secondary">Every document from the server was valid.</Typography>
        ) : (
          <Box component="ul" sx={{ m: 0, pl: 3 }}>
            {quarantined.map((q) => (
              <li key={q.key}>
                {q.store}/{q.docId}: {q.reasons.join('; ')}. An administrator should fix it on the
                server.
              </li>
            ))}
          </Box>
        )}
      </Box>
    </Box>
  );
}

/** One field of a refused change, editable when it is text, a number or the state. */
function RefusedFieldInput({
  field,
  value,
  states,
  reason,
  onChange,
}: {
  readonly field: RefusedField;
  readonly value: unknown;
  readonly states: readonly string[];
  readonly reason: string | null;
  readonly onChange: (v: unknown) => void;
}) {
  const helper = reason ?? `On the server: ${shown(field.server)}`;
  if (field.path === 'state')
    return (
      <TextField
        select
        size="small"
        fullWidth
        label={field.label}
        value={textOf(value)}
        error={reason !== null}
        helperText={helper}
        onChange={(e) => onChange(e.target.value)}
      >
        {states.map((st) => (
          <MenuItem key={st} value={st}>
            {st}
          </MenuItem>
        ))}
      </TextField>
    );
  if (typeof field.mine === 'string' || typeof field.mine === 'number' || field.mine === null)
    return (
      <TextField
        size="small"
        fullWidth
        multiline={field.path === 'description' || field.path === 'body'}
        label={field.label}
        value={textOf(value)}
        error={reason !== null}
        helperText={helper}
        onChange={(e) =>
          onChange(
            typeof field.mine === 'number'
              ? Number(e.target.value)
              : e.target.value === '' && field.mine === null
                ? null
                : e.target.value,
          )
        }
      />
    );
  return (
    <Box>
      <Typography variant="body2">
        {field.label}: {shown(field.mine)} <em>(kept as you made it)</em>
      </Typography>
      <Typography variant="caption" color={reason ? 'error' : 'text.secondary'}>
        {helper}
      </Typography>
    </Box>
  );
}

function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
}

const NO_TICKET = null;

function RejectedCard({
  rejection,
  link,
}: {
  readonly rejection: RejectedChange;
  readonly link: React.ReactNode;
}) {
  const { db, session } = useWorkspace();
  const doc = rejection.doc;
  const isTicket = rejection.store === 'tickets';
  const server = useObservable(
    useMemo(
      () => (isTicket ? observeTicket(db, rejection.docId) : of(NO_TICKET)),
      [db, isTicket, rejection.docId],
    ),
    NO_TICKET,
  );
  // Every field the refused version changed, as the user made it; an entry's text.
  const fields = useMemo(
    () =>
      isTicket
        ? fieldsToFix(
            doc,
            server as unknown as Readonly<Record<string, unknown>> | null,
            rejection.reason,
          )
        : refusedFields({ body: doc.body }, null),
    [doc, server, isTicket, rejection.reason],
  );
  const concerned = isTicket ? fieldOfReason(rejection.reason, doc) : 'body';
  const [edits, setEdits] = useState<Readonly<Record<string, unknown>>>({});
  const [error, setError] = useState<string | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const valueOf = (f: RefusedField) => (f.path in edits ? edits[f.path] : f.mine);
  const states = useMemo(() => {
    if (!server || !isKindState(doc)) return [];
    const kind = server.kind;
    return STATE_MACHINES[kind].states.filter(
      (st) =>
        st === server.state ||
        st === doc.state ||
        pathBetween(kind, server.state, st, true) !== null,
    );
  }, [server, doc]);
  const resend = () => {
    setError(null);
    resendRefused(db, rejection.key, session.name, edits).catch(
      (e: unknown) => void explainWriteError(e).then(setError),
    );
  };
  return (
    <Card
      variant="outlined"
      data-testid="rejected-change"
      data-key={rejection.key}
      data-at={rejection.at}
    >
      <CardContent>
        <Typography variant="body2">
          {isTicket ? 'Ticket' : 'Activity on'} {link} · refused{' '}
          {new Date(rejection.at).toLocaleString()}
        </Typography>
        <Alert severity="error" sx={{ my: 1 }} data-testid="refusal-reason">
          {rejection.reason}
        </Alert>
        {error && (
          <Alert severity="error" sx={{ mb: 1 }}>
            {error}
          </Alert>
        )}
        <Typography variant="body2" sx={{ mb: 1 }}>
          Your change is kept on this device until you resend or discard it. Fix what the server
          refused, then resend:
        </Typography>
        <Stack spacing={1.5} data-testid="refused-fields">
          {fields.length === 0 && (
            <Typography variant="body2" color="text.secondary">
              It no longer differs from the server&apos;s version.
            </Typography>
          )}
          {fields.map((f) => (
            <RefusedFieldInput
              key={f.path}
              field={f}
              value={valueOf(f)}
              states={states}
              reason={f.path === concerned ? rejection.reason : null}
              onChange={(v) => setEdits({ ...edits, [f.path]: v })}
            />
          ))}
        </Stack>
      </CardContent>
      <CardActions>
        <Button variant="contained" size="small" onClick={resend}>
          Fix and resend
        </Button>
        {confirmDiscard ? (
          <>
            <Typography variant="body2">Discard this change for good?</Typography>
            <Button
              color="error"
              size="small"
              onClick={() => void discardRejection(db, rejection.key)}
            >
              Discard
            </Button>
            <Button size="small" onClick={() => setConfirmDiscard(false)}>
              Keep
            </Button>
          </>
        ) : (
          <Button size="small" onClick={() => setConfirmDiscard(true)}>
            Discard…
          </Button>
        )}
      </CardActions>
    </Card>
  );
}

function isKindState(doc: Readonly<Record<string, unknown>>): boolean {
  return isTicketKind(doc.kind) && typeof doc.state === 'string';
}

import { useMemo, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  Link,
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
import { resendRejected } from '../../data/tickets-repo';
import type { FileInfo } from '../../data/files';
import { textOf } from '../../data/directory';
import type { ActivityEntry } from '../../../../shared/domain';
import { explainWriteError } from '../../data/storage-errors';

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
  const [title, setTitle] = useState(textOf(doc.title));
  const [body, setBody] = useState(textOf(doc.body));
  const [error, setError] = useState<string | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const resend = () => {
    setError(null);
    resendRejected(db, rejection.key, session.name, isTicket ? { title } : { body }).catch(
      (e: unknown) => void explainWriteError(e).then(setError),
    );
  };
  return (
    <Card variant="outlined" data-testid="rejected-change">
      <CardContent>
        <Typography variant="body2">
          {isTicket ? 'Ticket' : 'Activity on'} {link} · refused{' '}
          {new Date(rejection.at).toLocaleString()}
        </Typography>
        <Alert severity="error" sx={{ my: 1 }}>
          {rejection.reason}
        </Alert>
        {error && (
          <Alert severity="error" sx={{ mb: 1 }}>
            {error}
          </Alert>
        )}
        {isTicket ? (
          <TextField
            size="small"
            fullWidth
            label="Title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        ) : (
          <TextField
            size="small"
            fullWidth
            multiline
            label="Text"
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        )}
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

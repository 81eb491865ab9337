import { useEffect, useMemo, useState } from 'react';
import { Box, Typography } from '@mui/material';
import { map, type Observable } from 'rxjs';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { couchJson } from '../../data/couch-http';
import type { DeskDatabase } from '../../data/database';
import type { ActivityEntry } from '../../../../shared/domain';

const NONE: readonly ActivityEntry[] = [];

/** Mails desk services gave up on (failed for good or bounced), newest first, from the replica. */
function observeFailedMail(db: DeskDatabase, limit: number): Observable<readonly ActivityEntry[]> {
  return db.activity.find({ selector: { type: 'delivery' } }).$.pipe(
    map((docs) =>
      docs
        .map((d) => d.toJSON() as unknown as ActivityEntry)
        .filter((e) => e.data.state === 'failed')
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, limit),
    ),
  );
}

/** The Pending page's list of mails that did not reach their requester. */
export function FailedMail({ open }: { readonly open: (n: string) => React.ReactNode }) {
  const { db } = useWorkspace();
  const failed = useObservable(
    useMemo(() => observeFailedMail(db, 100), [db]),
    NONE,
  );
  return (
    <Box component="section" aria-labelledby="failed-mail-title">
      <Typography id="failed-mail-title" variant="h6" component="h3">
        Mail not delivered ({failed.length})
      </Typography>
      {failed.length === 0 ? (
        <Typography color="text.secondary">Every mail reached its requester.</Typography>
      ) : (
        <Box component="ul" sx={{ m: 0, pl: 3 }} data-testid="failed-mail">
          {failed.map((e) => (
            <li key={e.id}>
              {open(e.ticketNumber)} · to{' '}
              {typeof e.data.to === 'string' ? e.data.to : 'the requester'} · {e.body} (
              {new Date(e.at).toLocaleString()})
            </li>
          ))}
        </Box>
      )}
    </Box>
  );
}

type Worker = { doing: string; backlog: number; lastError: { message: string } | null };
type StatusDoc = { instance: string; at: string; workers: Record<string, Worker> };

/** For admins: what desk services' workers do, from the status documents they publish. */
export function DeskServicesLine() {
  const { couchUrl, dbPrefix, session } = useWorkspace();
  const admin = session.roles.includes('admin');
  const [status, setStatus] = useState<string>('Desk services: checking…');
  useEffect(() => {
    if (!admin) return;
    let stop = false;
    const base = couchUrl.replace(/\/$/, '');
    const q = (k: string) => encodeURIComponent(JSON.stringify(k));
    const load = () =>
      couchJson<{ rows: { doc?: StatusDoc }[] }>(
        `${base}/${dbPrefix ?? 'sb_'}services/_all_docs?include_docs=true&startkey=${q('status:')}&endkey=${q('status:\ufff0')}`,
      ).then(
        (r) => {
          if (stop) return;
          const fresh = r.rows
            .flatMap((x) => (x.doc ? [x.doc] : []))
            .filter((d) => Date.now() - Date.parse(d.at) < 30_000);
          if (fresh.length === 0)
            return setStatus('Desk services: not running (no status in the last 30 s).');
          const parts = fresh.map((d) => {
            const w = Object.entries(d.workers)
              .filter(([name]) => name !== 'status')
              .map(
                ([name, x]) =>
                  `${name} ${x.doing}, backlog ${x.backlog}${x.lastError ? ` (last error: ${x.lastError.message})` : ''}`,
              );
            return `${d.instance}: ${w.join('; ')}`;
          });
          setStatus(`Desk services (${fresh.length} running) — ${parts.join(' | ')}`);
        },
        () => !stop && setStatus('Desk services: status not reachable (offline?).'),
      );
    void load();
    const t = setInterval(() => void load(), 10_000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [admin, couchUrl, dbPrefix]);
  if (!admin) return null;
  return (
    <Typography variant="body2" color="text.secondary" data-testid="desk-services-status">
      {status}
    </Typography>
  );
}

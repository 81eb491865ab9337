/**
 * SLA settings, for admins: the desk's calendars (weekly hours, time zone, public holidays,
 * closed days, half days) and policies (targets, calendar, what the response is, pause rules and
 * cap, where a replacement record counts from, conditions, match order), with a live preview.
 * Saving writes the next version of the directory's SLA configuration through the replica (so it
 * works offline and reaches the server with the next push, where only admins may write it).
 */
import { useMemo, useState } from 'react';
import { Alert, Box, Button, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import {
  DEFAULT_SLA_WARNINGS,
  evaluateSla,
  findSlaPolicy,
  policyMatches,
  SLA_RESPONSE_MEANS,
  validateSlaConfigDoc,
  type BusinessCalendar,
  type SlaConfig,
  type SlaConfigDoc,
  type SlaPauseReason,
  type SlaPolicy,
  type Ticket,
} from '../../../../shared/domain';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { useNow } from '../../app/useNow';
import { useSlaConfig } from '../../app/useSlaConfig';
import { deviceProblems, observeSlaConfigDoc, saveSlaConfig } from '../../data/sla-config';
import {
  halfDaysFromText,
  halfDaysToText,
  holidaysFromText,
  holidaysToText,
  listFromText,
  listToText,
  regionFromText,
  regionToText,
  weekFromText,
  weekToText,
  workingDaysFromText,
  workingDaysToText,
} from './sla-settings-text';

const MINUTE = 60_000;
const RESPONSE_LABELS = {
  'first-move': 'First move out of new',
  'first-public-reply': 'First public reply',
  'first-assignment': 'First assignment to a person',
} as const;

/** Minutes as text, and back (an empty or bad entry gives NaN, which validation reports). */
const minutes = (ms: number | null | undefined) => (ms == null ? '' : String(ms / MINUTE));
const msOf = (text: string) => (text.trim() === '' ? NaN : Number(text) * MINUTE);

/** The instant in the admin's own time zone, with the date. */
const when = (iso: string | null) =>
  iso === null
    ? 'not known while paused'
    : new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The previous calendar month, as [from, to) epoch ms in this device's time zone. */
function lastMonth(now: number): [number, number] {
  const d = new Date(now);
  return [
    new Date(d.getFullYear(), d.getMonth() - 1, 1).getTime(),
    new Date(d.getFullYear(), d.getMonth(), 1).getTime(),
  ];
}

export function SlaSettingsPage() {
  const { db, session, queues } = useWorkspace();
  const stored = useObservable(
    useMemo(() => observeSlaConfigDoc(db), [db]),
    null,
  );
  const live = useSlaConfig();
  const now = useNow(60_000);
  const [draft, setDraft] = useState<SlaConfigDoc | null>(null);
  const [selected, setSelected] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const doc = draft ?? stored;
  const version = useObservable(queues.version$, 0);

  const checked = useMemo(() => {
    if (!doc) return null;
    const v = validateSlaConfigDoc(doc);
    return v.ok ? deviceProblems(v.value) : v.errors;
  }, [doc]);
  const valid = checked !== null && checked.length === 0;
  const config = useMemo(
    (): SlaConfig | null =>
      doc && valid
        ? {
            calendars: doc.calendars,
            policies: doc.policies,
            ...(live?.facts ? { facts: live.facts } : {}),
          }
        : null,
    [doc, valid, live],
  );
  const policy = doc?.policies[selected];
  const preview = useMemo(() => {
    if (!config) return null;
    // A P2 incident opened now, as the console would create it.
    const probe: Pick<Ticket, 'kind' | 'priority' | 'state' | 'createdAt' | 'sla'> = {
      kind: 'incident',
      priority: 2,
      state: 'new',
      createdAt: new Date(now).toISOString(),
      sla: { respondedAt: null, resolvedAt: null, pauses: [] },
    };
    const p2 = evaluateSla(probe, now, config);
    const p2Policy = findSlaPolicy(config, probe);
    let breached = 0;
    let counted = 0;
    if (policy) {
      const [from, to] = lastMonth(now);
      const only: SlaConfig = { ...config, policies: [policy] };
      void version;
      for (const t of queues.index.all()) {
        const created = Date.parse(t.createdAt);
        if (created < from || created >= to || !policyMatches(policy, t, config.facts)) continue;
        const r = evaluateSla({ ...t, sla: { ...t.sla, record: null } }, now, only);
        if (!r || r.resolution.status === 'cancelled') continue;
        counted += 1;
        const s = [r.response.status, r.resolution.status];
        if (s.includes('breached') || s.includes('missed')) breached += 1;
      }
    }
    return { p2, p2Policy, breached, counted };
  }, [config, policy, now, queues, version]);

  if (!session.roles.includes('admin'))
    return <Alert severity="info">Only admins change the SLA settings.</Alert>;
  if (!doc) return <Typography>No SLA configuration has arrived on this device yet.</Typography>;

  const edit = (change: (d: SlaConfigDoc) => SlaConfigDoc) => {
    setMessage(null);
    setDraft(change(doc));
  };
  const editCalendar = (
    id: string,
    change: (c: BusinessCalendar & { kind: 'weekly' }) => BusinessCalendar,
  ) =>
    edit((d) => ({
      ...d,
      calendars: d.calendars.map((c) => (c.id === id && c.kind === 'weekly' ? change(c) : c)),
    }));
  const editPolicy = (change: (p: SlaPolicy) => SlaPolicy) =>
    edit((d) => ({ ...d, policies: d.policies.map((p, i) => (i === selected ? change(p) : p)) }));
  const move = (by: -1 | 1) => {
    const to = selected + by;
    if (to < 0 || to >= doc.policies.length) return;
    edit((d) => {
      const ps = [...d.policies];
      [ps[selected], ps[to]] = [ps[to]!, ps[selected]!];
      return { ...d, policies: ps };
    });
    setSelected(to);
  };
  const save = async () => {
    if (!stored || !draft || !valid) return;
    const next: SlaConfigDoc = {
      ...draft,
      version: stored.version + 1,
      updatedAt: new Date().toISOString(),
      updatedBy: session.name,
    };
    await saveSlaConfig(db, next);
    setDraft(null);
    setMessage(`Saved version ${next.version}. Policy changes apply to new SLA records only.`);
  };
  const pauses = (clock: 'response' | 'resolution') =>
    listToText(
      policy?.pauseReasons?.[clock] ?? [
        'awaiting-caller',
        'awaiting-vendor',
        'awaiting-change',
        'awaiting-problem',
        'awaiting-approval',
      ],
    );

  return (
    <Box sx={{ p: 2, overflow: 'auto', height: 'calc(100vh - 48px)' }} data-testid="sla-settings">
      <Typography variant="h5" component="h2" gutterBottom>
        SLA settings{' '}
        <Typography component="span" color="text.secondary">
          (version {doc.version})
        </Typography>
      </Typography>
      <Alert severity="info" sx={{ mb: 2 }}>
        Changes apply to new SLA records only: a ticket's running and past records keep the policy
        they started with. Calendar changes (hours, time zone, holidays) move the due times of every
        running clock.
      </Alert>
      {message && (
        <Alert severity="success" sx={{ mb: 2 }}>
          {message}
        </Alert>
      )}
      {checked && checked.length > 0 && (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="sla-problems">
          {checked.slice(0, 10).map((e) => (
            <div key={e}>{e}</div>
          ))}
        </Alert>
      )}

      <Paper variant="outlined" sx={{ p: 2, mb: 2 }} aria-label="Preview">
        <Typography variant="h6" component="h3">
          Preview
        </Typography>
        <Typography data-testid="sla-preview-p2">
          {preview?.p2
            ? `A P2 incident opened now (policy ${preview.p2Policy?.id ?? '?'}) is due at ${when(preview.p2.response.dueAt)} for the response and ${when(preview.p2.resolution.dueAt)} for the resolution.`
            : 'No policy covers a P2 incident.'}
        </Typography>
        {policy && preview && (
          <Typography data-testid="sla-preview-breaches">
            Of last month's {preview.counted} tickets this policy covers, it would have breached{' '}
            {preview.breached}.
          </Typography>
        )}
      </Paper>

      <Typography variant="h6" component="h3">
        Calendars
      </Typography>
      {doc.calendars.map((c) =>
        c.kind !== 'weekly' ? (
          <Typography key={c.id} color="text.secondary" sx={{ mb: 1 }}>
            {c.name}: always running.
          </Typography>
        ) : (
          <Paper
            key={c.id}
            variant="outlined"
            sx={{ p: 2, mb: 2 }}
            aria-label={`Calendar ${c.name}`}
          >
            <Typography gutterBottom sx={{ fontWeight: 'bold' }}>
              {c.name}
            </Typography>
            <Stack direction="row" spacing={2} sx={{ mb: 1 }}>
              <TextField
                label="Time zone"
                size="small"
                value={c.zone}
                onChange={(e) => editCalendar(c.id, (x) => ({ ...x, zone: e.target.value }))}
              />
              <TextField
                label="Public holidays (country/region)"
                size="small"
                value={regionToText(c.publicHolidays)}
                onChange={(e) =>
                  editCalendar(c.id, (x) => ({
                    ...x,
                    publicHolidays: regionFromText(e.target.value),
                  }))
                }
                helperText="e.g. GB/ENG, DE/BE, US/NY"
              />
            </Stack>
            <Stack direction="row" spacing={2}>
              <TextField
                label="Working hours"
                multiline
                minRows={3}
                size="small"
                defaultValue={weekToText(c.week)}
                onChange={(e) =>
                  editCalendar(c.id, (x) => ({ ...x, week: weekFromText(e.target.value) }))
                }
                helperText="mon 08:00-18:00"
              />
              <TextField
                label="Closed days"
                multiline
                minRows={3}
                size="small"
                defaultValue={holidaysToText(c.holidays)}
                onChange={(e) =>
                  editCalendar(c.id, (x) => ({ ...x, holidays: holidaysFromText(e.target.value) }))
                }
                helperText="2027-06-04 Office move, or 07-01 every year"
              />
              <TextField
                label="Half days"
                multiline
                minRows={3}
                size="small"
                defaultValue={halfDaysToText(c.halfDays ?? [])}
                onChange={(e) =>
                  editCalendar(c.id, (x) => ({ ...x, halfDays: halfDaysFromText(e.target.value) }))
                }
                helperText="12-24 12:00 Christmas Eve"
              />
              <TextField
                label="Extra working days"
                multiline
                minRows={3}
                size="small"
                defaultValue={workingDaysToText(c.workingDays ?? [])}
                onChange={(e) =>
                  editCalendar(c.id, (x) => ({
                    ...x,
                    workingDays: workingDaysFromText(e.target.value),
                  }))
                }
                helperText="2027-06-05 09:00-13:00 Migration Saturday"
              />
            </Stack>
          </Paper>
        ),
      )}

      <Typography variant="h6" component="h3">
        Policies
      </Typography>
      <Typography variant="body2" color="text.secondary" gutterBottom>
        The first policy a ticket matches, in this order, is its policy.
      </Typography>
      <Stack direction="row" spacing={1} sx={{ mb: 2, alignItems: 'center' }}>
        <TextField
          select
          label="Policy"
          size="small"
          value={selected}
          onChange={(e) => setSelected(Number(e.target.value))}
          sx={{ minWidth: 320 }}
        >
          {doc.policies.map((p, i) => (
            <MenuItem key={p.id} value={i}>
              {i + 1}. {p.name ?? p.id}
            </MenuItem>
          ))}
        </TextField>
        <Button onClick={() => move(-1)} disabled={selected === 0}>
          Move up
        </Button>
        <Button onClick={() => move(1)} disabled={selected >= doc.policies.length - 1}>
          Move down
        </Button>
      </Stack>
      {policy && (
        <Paper
          key={policy.id}
          variant="outlined"
          sx={{ p: 2, mb: 2 }}
          aria-label={`Policy ${policy.id}`}
        >
          <Typography gutterBottom>
            {policy.kind}, priority P{policy.priority}
          </Typography>
          <Stack direction="row" spacing={2} useFlexGap sx={{ mb: 2, flexWrap: 'wrap' }}>
            <TextField
              label="Response target (minutes)"
              size="small"
              defaultValue={minutes(policy.responseMs)}
              onChange={(e) => editPolicy((p) => ({ ...p, responseMs: msOf(e.target.value) }))}
            />
            <TextField
              label="Resolution target (minutes)"
              size="small"
              defaultValue={minutes(policy.resolutionMs)}
              onChange={(e) => editPolicy((p) => ({ ...p, resolutionMs: msOf(e.target.value) }))}
            />
            <TextField
              select
              label="Calendar"
              size="small"
              value={policy.calendarId}
              onChange={(e) => editPolicy((p) => ({ ...p, calendarId: e.target.value }))}
              sx={{ minWidth: 200 }}
            >
              {doc.calendars.map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="Response is"
              size="small"
              value={policy.response ?? 'first-move'}
              onChange={(e) =>
                editPolicy((p) => ({ ...p, response: e.target.value as SlaPolicy['response'] }))
              }
              sx={{ minWidth: 240 }}
            >
              {SLA_RESPONSE_MEANS.map((m) => (
                <MenuItem key={m} value={m}>
                  {RESPONSE_LABELS[m]}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="After a priority change, the new record counts from"
              size="small"
              value={policy.restartFrom ?? 'change'}
              onChange={(e) =>
                editPolicy((p) => ({ ...p, restartFrom: e.target.value as 'creation' | 'change' }))
              }
              sx={{ minWidth: 360 }}
            >
              <MenuItem value="change">the change</MenuItem>
              <MenuItem value="creation">the ticket's creation</MenuItem>
            </TextField>
          </Stack>
          <Stack direction="row" spacing={2} useFlexGap sx={{ mb: 2, flexWrap: 'wrap' }}>
            <TextField
              label="Reasons that pause the response"
              size="small"
              sx={{ minWidth: 360 }}
              defaultValue={pauses('response')}
              onChange={(e) =>
                editPolicy((p) => ({
                  ...p,
                  pauseReasons: {
                    response: listFromText(e.target.value) as SlaPauseReason[],
                    resolution:
                      p.pauseReasons?.resolution ??
                      (listFromText(pauses('resolution')) as SlaPauseReason[]),
                  },
                }))
              }
            />
            <TextField
              label="Reasons that pause the resolution"
              size="small"
              sx={{ minWidth: 360 }}
              defaultValue={pauses('resolution')}
              onChange={(e) =>
                editPolicy((p) => ({
                  ...p,
                  pauseReasons: {
                    resolution: listFromText(e.target.value) as SlaPauseReason[],
                    response:
                      p.pauseReasons?.response ??
                      (listFromText(pauses('response')) as SlaPauseReason[]),
                  },
                }))
              }
            />
            <TextField
              label="First warning (%)"
              size="small"
              defaultValue={String((policy.thresholds ?? DEFAULT_SLA_WARNINGS).warning)}
              onChange={(e) =>
                editPolicy((p) => ({
                  ...p,
                  thresholds: {
                    ...(p.thresholds ?? DEFAULT_SLA_WARNINGS),
                    warning: Number(e.target.value),
                  },
                }))
              }
            />
            <TextField
              label="At risk (%)"
              size="small"
              defaultValue={String((policy.thresholds ?? DEFAULT_SLA_WARNINGS).atRisk)}
              onChange={(e) =>
                editPolicy((p) => ({
                  ...p,
                  thresholds: {
                    ...(p.thresholds ?? DEFAULT_SLA_WARNINGS),
                    atRisk: Number(e.target.value),
                  },
                }))
              }
            />
            <TextField
              label="Pause cap (minutes, empty for none)"
              size="small"
              defaultValue={minutes(policy.pauseCapMs)}
              onChange={(e) =>
                editPolicy((p) => ({
                  ...p,
                  pauseCapMs: e.target.value.trim() === '' ? null : msOf(e.target.value),
                }))
              }
            />
          </Stack>
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
            {(['groupIds', 'categories', 'sites', 'orgs', 'services'] as const).map((k) => (
              <TextField
                key={k}
                label={`Only for ${k === 'groupIds' ? 'groups' : k}`}
                size="small"
                defaultValue={listToText(policy.conditions?.[k])}
                onChange={(e) =>
                  editPolicy((p) => ({
                    ...p,
                    conditions: { ...p.conditions, [k]: listFromText(e.target.value) },
                  }))
                }
              />
            ))}
          </Stack>
        </Paper>
      )}
      <Stack direction="row" spacing={1}>
        <Button variant="contained" onClick={() => void save()} disabled={!draft || !valid}>
          Save SLA settings
        </Button>
        <Button
          onClick={() => {
            setDraft(null);
            setMessage(null);
          }}
          disabled={!draft}
        >
          Discard changes
        </Button>
      </Stack>
    </Box>
  );
}

import { TicketRefusals } from '../pending/RefusalAlerts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Box, Chip, Divider, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { useCommands, type Command } from '../../app/commands';
import { useNow } from '../../app/useNow';
import { useSlaConfig } from '../../app/useSlaConfig';
import { getDesk } from '../../platform/desk';
import {
  addActivity,
  moveTicket,
  noteFirstReply,
  observeActivity,
  observeTicket,
  updateTicket,
} from '../../data/tickets-repo';
import {
  allowedTransitions,
  mayChangeGroup,
  slaActivityEvents,
  type ActivityEntry,
  type EditableField,
  type SlaConfig,
  type SlaEvent,
  type Ticket,
  type TransitionInput,
  type TransitionRule,
} from '../../../../shared/domain';
import { othersOn, type Presence } from '../../../../shared/presence/presence';
import { windowRouteHash } from '../../../../shared/ipc/window-routes';
import { SlaChip } from '../queue/SlaChip';
import { ImportedOrigin } from './ImportedOrigin';
import { TicketFields } from './TicketFields';
import { TicketLinks } from './TicketLinks';
import { Composer, type ComposerHandle } from './Composer';
import { ActivityList } from './ActivityList';
import { useDirectory } from '../../app/useDirectory';
import { Transitions, TransitionDialog, resolvingRule } from './Transitions';
import { explainWriteError } from '../../data/storage-errors';

const NO_ACTIVITY: readonly ActivityEntry[] = [];
const NO_PRESENCE: readonly Presence[] = [];

type Props = {
  readonly number: string;
  readonly pending: boolean;
  readonly onClose?: () => void;
};

/** Opens `number` in a window of its own (Electron) or a new browser tab (web shell). */
export function popOut(number: string): void {
  const desk = getDesk();
  if (desk.send) desk.send('windows:open-ticket', { ticketNumber: number });
  else window.open(`${location.pathname}${windowRouteHash({ view: 'ticket', number })}`, '_blank');
}

/**
 * One ticket: header with SLA clocks and who else is here, editable fields (stale-edit guard),
 * state moves, links, note/reply composer and the activity stream. Registers the ticket's
 * commands and shortcuts while it is shown.
 */
export function TicketPanel({ number, pending, onClose }: Props) {
  const { db, session, presence } = useWorkspace();
  const ticket = useObservable(
    useMemo(() => observeTicket(db, number), [db, number]),
    undefined,
  );
  const activity = useObservable(
    useMemo(() => observeActivity(db, number), [db, number]),
    NO_ACTIVITY,
  );
  const reports = useObservable(presence.reports$, NO_PRESENCE);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<TransitionRule | null>(null);
  const [editingFields, setEditingFields] = useState(false);
  const [typing, setTyping] = useState(false);
  const [seen, setSeen] = useState<string | null>(null);
  const composer = useRef<ComposerHandle>(null);
  const people = useDirectory('person');
  const editing = editingFields || typing;
  const now = useNow(15_000);
  const slaConfig = useSlaConfig();

  useEffect(() => {
    presence.report(number, editing);
  }, [presence, number, editing]);
  useEffect(() => () => presence.report(null, false), [presence]);

  if (ticket && seen === null) setSeen(ticket.updatedAt);

  const run = (op: () => Promise<unknown>): Promise<unknown> => {
    setError(null);
    return op().catch((e: unknown) => {
      void explainWriteError(e).then(setError);
      throw e;
    });
  };
  const save = (patch: Partial<Pick<Ticket, EditableField>>) =>
    run(() => updateTicket(db, number, patch, session.name));
  const move = (to: string, input: TransitionInput) =>
    run(() => moveTicket(db, number, to, input, session.name)).catch(() => undefined);
  const ask = (rule: TransitionRule) =>
    rule.requires.length > 0 ? setAsking(rule) : void move(rule.to, {});
  const rules = ticket ? allowedTransitions(ticket) : [];
  const resolve = resolvingRule(rules);
  const hold = rules.find((r) => r.to === 'on-hold');

  const commands = useMemo((): readonly Command[] => {
    if (!ticket) return [];
    const list: readonly Command[] = [
      {
        id: 'ticket:assign-me',
        group: 'Ticket',
        label: `Assign ${number} to me`,
        keys: 'a',
        disabled: ticket.assigneeId === session.name,
        run: () => void save({ assigneeId: session.name }).catch(() => undefined),
      },
      {
        id: 'ticket:note',
        group: 'Ticket',
        label: `Add a work note to ${number}`,
        keys: 'n',
        run: () => composer.current?.start('work-note'),
      },
      {
        id: 'ticket:reply',
        group: 'Ticket',
        label: `Reply to the requester of ${number}`,
        keys: 'r',
        run: () => composer.current?.start('reply'),
      },
      {
        id: 'ticket:resolve',
        group: 'Ticket',
        label: resolve ? `${resolve.label} ${number}` : `Resolve ${number}`,
        keys: 'e',
        disabled: !resolve,
        run: () => resolve && ask(resolve),
      },
      {
        id: 'ticket:hold',
        group: 'Ticket',
        label: `Put ${number} on hold`,
        keys: 'h',
        disabled: !hold,
        run: () => hold && ask(hold),
      },
      {
        id: 'ticket:pop-out',
        group: 'Ticket',
        label: `Open ${number} in a new window`,
        keys: 'o',
        run: () => popOut(number),
      },
    ];
    const moves = rules
      .filter((r) => r !== resolve && r !== hold)
      .map((r): Command => ({
        id: `ticket:move:${r.to}`,
        group: 'Ticket',
        label: `${r.label} (${number})`,
        run: () => ask(r),
      }));
    const close: Command[] = onClose
      ? [
          {
            id: 'ticket:close',
            group: 'Ticket',
            label: `Close the ${number} tab`,
            keys: 'w',
            run: onClose,
          },
        ]
      : [];
    return [...list, ...moves, ...close];
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebuilt when the ticket changes
  }, [ticket, number, session.name, onClose]);
  useCommands('ticket', commands);

  if (ticket === undefined) return null;
  if (ticket === null)
    return (
      <Box sx={{ p: 2 }}>
        <Alert severity="warning">Ticket {number} is not in this replica.</Alert>
      </Box>
    );

  const others = othersOn(reports, number, session.name, now);
  const changedByOther =
    seen !== null && ticket.updatedAt > seen && ticket.updatedBy !== session.name && !editing;

  return (
    <Box
      component="section"
      aria-label={`Ticket ${ticket.number}`}
      data-testid="ticket-panel"
      data-number={ticket.number}
      sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2, overflow: 'auto' }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <Typography variant="h6" component="h2" sx={{ fontFamily: 'monospace', flexGrow: 1 }}>
          {ticket.number}
        </Typography>
        <Chip size="small" label={ticket.kind} />
        <Chip
          size="small"
          color={ticket.priority <= 2 ? 'error' : 'default'}
          label={`P${ticket.priority}`}
          data-testid="ticket-priority"
        />
        <Chip size="small" data-testid="ticket-state" label={ticket.state} color="primary" />
        <SlaChip ticket={ticket} now={now} variant="long" />
        {pending && (
          <Chip
            size="small"
            variant="outlined"
            color="warning"
            label="not synced"
            data-testid="not-synced"
          />
        )}
        <Tooltip describeChild title="Open in a new window (O)">
          <IconButton aria-label="Open in a new window" onClick={() => popOut(number)} size="small">
            ↗
          </IconButton>
        </Tooltip>
        {onClose && (
          <Tooltip describeChild title="Close (W)">
            <IconButton aria-label="Close ticket" onClick={onClose} size="small">
              ×
            </IconButton>
          </Tooltip>
        )}
      </Stack>
      {others.length > 0 && (
        <Stack direction="row" spacing={1} data-testid="presence" aria-live="polite">
          {others.map((p) => (
            <Chip
              key={p.user}
              size="small"
              color={p.editing ? 'warning' : 'info'}
              variant="outlined"
              label={`${p.user} is ${p.editing ? 'editing' : 'viewing'}`}
              data-testid="presence-chip"
            />
          ))}
        </Stack>
      )}
      <ImportedOrigin ticket={ticket} now={now} config={slaConfig} />
      {changedByOther && (
        <Alert
          severity="info"
          data-testid="changed-banner"
          onClose={() => setSeen(ticket.updatedAt)}
        >
          {ticket.updatedBy} changed this ticket at{' '}
          {new Date(ticket.updatedAt).toLocaleTimeString()}; you are seeing the new version.
        </Alert>
      )}
      <TicketRefusals number={number} />
      {error && (
        <Alert severity="error" onClose={() => setError(null)} role="alert">
          {error}
        </Alert>
      )}
      <TicketFields
        key={ticket.number}
        ticket={ticket}
        me={session.name}
        mayChangeGroup={mayChangeGroup(session)}
        onSave={(patch) => save(patch).then(() => setSeen(null))}
        onEditing={setEditingFields}
      />
      <Transitions rules={rules} onAsk={ask} />
      {asking && (
        <TransitionDialog
          rule={asking}
          onCancel={() => setAsking(null)}
          onConfirm={(input) => {
            setAsking(null);
            void move(asking.to, input);
          }}
        />
      )}
      <Divider />
      <TicketLinks ticket={ticket} onSave={save} />
      <Divider />
      <Composer
        ref={composer}
        ticket={ticket.number}
        onTyping={setTyping}
        mailTo={mailRecipient(people, ticket.requesterId)}
        onAdd={(type, body) =>
          run(async () => {
            await addActivity(db, {
              ticketNumber: ticket.number,
              type,
              by: session.name,
              body,
              data: {},
            });
            if (type === 'reply') await noteFirstReply(db, ticket.number, session.name);
          })
        }
      />
      <ActivityList
        entries={activity}
        sla={slaConfig ? liveSlaEvents(ticket, now, slaConfig) : []}
        onRestore={(field, value) => void save({ [field]: value }).catch(() => undefined)}
      />
    </Box>
  );
}

/** Who a public reply on a ticket of `requesterId` is mailed to, from the replicated directory. */
function mailRecipient(
  people: readonly { readonly id: string; readonly name: string; readonly [k: string]: unknown }[],
  requesterId: string,
): { name: string; email: string | null } {
  const p = people.find((x) => x.id === requesterId);
  return {
    name: p?.name ?? requesterId,
    email: typeof p?.email === 'string' && p.email.includes('@') ? p.email : null,
  };
}

/**
 * SLA thresholds reached since the ticket's last write, which no device has recorded yet (a
 * ticket with an SLA record has every earlier one in its activity); all of them for a ticket from
 * before records.
 */
function liveSlaEvents(ticket: Ticket, now: number, config: SlaConfig): SlaEvent[] {
  const all = slaActivityEvents(ticket, now, config);
  return ticket.sla.record ? all.filter((e) => e.at > ticket.updatedAt) : all;
}

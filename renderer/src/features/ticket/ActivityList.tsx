import { Box, Button, List, ListItem, Stack, Typography } from '@mui/material';
import { Markdown } from '../rich-text/Markdown';
import {
  dedupeSlaEntries,
  type ActivityEntry,
  type EditableField,
  type SlaEvent,
} from '../../../../shared/domain';

function mergeByTime(
  all: readonly ActivityEntry[],
  sla: readonly SlaEvent[],
): readonly ActivityEntry[] {
  // Stored SLA records: one entry per fact, even when two devices recorded it offline.
  const records = all.filter((e) => e.type === 'sla-event');
  const stored =
    records.length === 0
      ? all
      : [...all.filter((e) => e.type !== 'sla-event'), ...dedupeSlaEntries(records)].sort((a, b) =>
          a.at.localeCompare(b.at),
        );
  if (sla.length === 0) return stored;
  const derived = sla.map((e): ActivityEntry => ({
    id: `sla:${e.at}:${e.body}`,
    ticketNumber: '',
    type: 'sla-event',
    at: e.at,
    by: 'SLA',
    schemaVersion: 1,
    body: e.body,
    data: {},
  }));
  return [...stored, ...derived].sort((a, b) => a.at.localeCompare(b.at));
}

const RESTORABLE: ReadonlySet<string> = new Set<EditableField>([
  'title',
  'description',
  'requesterId',
  'ciId',
  'category',
  'impact',
  'urgency',
  'groupId',
  'assigneeId',
  'parentNumber',
]);

const LABELS: Record<string, string> = {
  'work-note': 'Work note',
  reply: 'Reply',
  'field-change': 'Field change',
  'state-change': 'State change',
  'sla-event': 'SLA',
  conflict: 'Conflict',
  'time-entry': 'Time',
  'checklist-tick': 'Checklist',
  part: 'Part used',
  signature: 'Signature',
  attachment: 'Attachment',
  delivery: 'Mail',
};

function show(v: unknown): string {
  return v === null || v === undefined ? '(empty)' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** The activity stream, newest first; notes and replies render as sanitized markdown. */
export function ActivityList({
  entries: stored,
  sla,
  onRestore,
}: {
  readonly entries: readonly ActivityEntry[];
  /** SLA events derived from the SLA engine, merged into the stream by time. */
  readonly sla: readonly SlaEvent[];
  readonly onRestore: (field: EditableField, value: unknown) => void;
}) {
  const entries = mergeByTime(stored, sla);
  if (entries.length === 0)
    return (
      <Typography variant="body2" color="text.secondary">
        No activity yet.
      </Typography>
    );
  return (
    <List dense aria-label="Activity" data-testid="activity-list">
      {[...entries].reverse().map((e) => (
        <ListItem
          key={e.id}
          alignItems="flex-start"
          data-testid="activity-entry"
          data-type={e.type}
          {...(e.type === 'delivery' ? { 'data-delivery': String(e.data.state) } : {})}
          sx={{
            display: 'block',
            borderLeft: 3,
            borderColor:
              e.type === 'reply'
                ? 'warning.main'
                : e.type === 'conflict' || (e.type === 'delivery' && e.data.state === 'failed')
                  ? 'error.main'
                  : 'divider',
            mb: 1,
          }}
        >
          <Typography variant="caption" color="text.secondary" component="div">
            {LABELS[e.type] ?? e.type} · {e.by} · {new Date(e.at).toLocaleString()}
          </Typography>
          {e.type === 'conflict' ? (
            <ConflictEntry entry={e} onRestore={onRestore} />
          ) : e.body ? (
            <Markdown text={e.body} testId="activity-body" />
          ) : null}
        </ListItem>
      ))}
    </List>
  );
}

function ConflictEntry({
  entry,
  onRestore,
}: {
  readonly entry: ActivityEntry;
  readonly onRestore: (field: EditableField, value: unknown) => void;
}) {
  const d = entry.data as { field?: unknown; kept?: unknown; lost?: unknown };
  const field = String(d.field);
  return (
    <Stack spacing={0.5} data-testid="conflict-record">
      <Box sx={{ fontSize: 14 }}>
        Both sides changed <b>{field}</b>. Kept “{show(d.kept)}”, replaced “{show(d.lost)}”.
      </Box>
      {RESTORABLE.has(field) && (
        <Box>
          <Button
            size="small"
            variant="outlined"
            onClick={() => onRestore(field as EditableField, d.lost)}
          >
            Restore “{show(d.lost).slice(0, 40)}”
          </Button>
        </Box>
      )}
    </Stack>
  );
}

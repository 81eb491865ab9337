import { useMemo, useState } from 'react';
import { Autocomplete, Box, Button, Chip, Link, Stack, TextField, Typography } from '@mui/material';
import { useDirectory } from '../../app/useDirectory';
import { textOf } from '../../data/directory';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { useUi } from '../../app/ui-store';
import { Markdown } from '../rich-text/Markdown';
import { parseTicketNumber } from '../../../../shared/domain/numbering';
import {
  isDoneState,
  type EditableField,
  type Ticket,
  type TicketLink,
} from '../../../../shared/domain';

type Patch = Partial<Pick<Ticket, EditableField>>;

/** Children of `number` in the local replica (parent/child and major-incident links). */
function useChildren(number: string): readonly Ticket[] {
  const { queues } = useWorkspace();
  const version = useObservable(queues.version$, 0);
  return useMemo(() => {
    void version;
    return queues.index.filterAll((t) => t.parentNumber === number);
  }, [queues, number, version]);
}

/** Linked CI, knowledge articles, parent and child tickets: search and link. */
export function TicketLinks({
  ticket,
  onSave,
}: {
  readonly ticket: Ticket;
  readonly onSave: (patch: Patch) => Promise<unknown>;
}) {
  const cis = useDirectory('ci');
  const kb = useDirectory('kb');
  const openTicket = useUi((s) => s.openTicket);
  const { queues } = useWorkspace();
  const children = useChildren(ticket.number);
  const [parent, setParent] = useState('');
  const [parentError, setParentError] = useState<string | null>(null);
  const [reading, setReading] = useState<string | null>(null);
  const kbLinks = ticket.links.filter((l) => l.kind === 'kb');
  const major = ticket.kind === 'incident' && ticket.priority === 1 && children.length > 0;
  const setLinks = (links: readonly TicketLink[]) => onSave({ links: [...links] });
  const article = reading ? kb.find((k) => k.id === reading) : undefined;

  return (
    <Stack spacing={1.5} component="section" aria-label="Links">
      <Typography variant="subtitle2">Configuration item and knowledge</Typography>
      <Autocomplete
        size="small"
        options={cis.map((c) => c.id)}
        getOptionLabel={(id) => {
          const c = cis.find((x) => x.id === id);
          return c ? `${c.name} (${textOf(c.ciClass) || 'CI'}, ${textOf(c.location)})` : id;
        }}
        value={ticket.ciId}
        onChange={(_, v) => void onSave({ ciId: v })}
        renderInput={(p) => <TextField {...p} label="Affected CI" />}
      />
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
        {kbLinks.map((l) => (
          <Chip
            key={l.id}
            size="small"
            label={kb.find((k) => k.id === l.id)?.name ?? l.id}
            onClick={() => setReading(reading === l.id ? null : l.id)}
            onDelete={() => void setLinks(ticket.links.filter((x) => x !== l))}
            data-testid="kb-link"
          />
        ))}
      </Stack>
      {article && (
        <Box sx={{ border: 1, borderColor: 'divider', p: 1, borderRadius: 1 }}>
          <Markdown text={textOf(article.body)} />
        </Box>
      )}
      <Autocomplete
        size="small"
        options={kb.filter((k) => !kbLinks.some((l) => l.id === k.id)).map((k) => k.id)}
        getOptionLabel={(id) => kb.find((k) => k.id === id)?.name ?? id}
        value={null}
        onChange={(_, v) => v && void setLinks([...ticket.links, { kind: 'kb', id: v }])}
        renderInput={(p) => <TextField {...p} label="Link a knowledge article" />}
      />
      <Typography variant="subtitle2">
        Related tickets{' '}
        {major && <Chip size="small" color="error" label="Major incident" data-testid="major" />}
      </Typography>
      {ticket.parentNumber ? (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Typography variant="body2">Parent:</Typography>
          <Link component="button" onClick={() => openTicket(ticket.parentNumber ?? '')}>
            {ticket.parentNumber}
          </Link>
          <Button size="small" onClick={() => void onSave({ parentNumber: null })}>
            Unlink
          </Button>
        </Stack>
      ) : (
        <Stack
          direction="row"
          spacing={1}
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            const p = parseTicketNumber(parent);
            if (!p.ok) return setParentError(p.error);
            if (p.number === ticket.number)
              return setParentError('A ticket cannot be its own parent.');
            if (!queues.index.get(p.number))
              return setParentError(`${p.number} is not in this replica.`);
            setParentError(null);
            setParent('');
            void onSave({ parentNumber: p.number });
          }}
        >
          <TextField
            size="small"
            label="Parent ticket number"
            value={parent}
            onChange={(e) => setParent(e.target.value)}
            error={parentError !== null}
            helperText={parentError ?? ' '}
          />
          <Button size="small" type="submit" disabled={parent.trim() === ''}>
            Link parent
          </Button>
        </Stack>
      )}
      {children.length > 0 && (
        <Box>
          <Typography variant="body2">
            Children ({children.filter((c) => !isDoneState(c.kind, c.state)).length} open of{' '}
            {children.length}):
          </Typography>
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
            {children.slice(0, 50).map((c) => (
              <Chip
                key={c.number}
                size="small"
                variant="outlined"
                label={`${c.number} · ${c.state}`}
                onClick={() => openTicket(c.number)}
              />
            ))}
          </Stack>
        </Box>
      )}
    </Stack>
  );
}

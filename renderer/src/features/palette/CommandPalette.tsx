import { useMemo, useState, type KeyboardEvent } from 'react';
import {
  Box,
  Dialog,
  DialogContent,
  DialogTitle,
  List,
  ListItemButton,
  ListItemText,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { keyLabel, useAllCommands, type Command } from '../../app/commands';
import { useUi } from '../../app/ui-store';
import { useWorkspace } from '../../app/services';
import { useObservable } from '../../app/useObservable';
import { parseTicketNumber } from '../../../../shared/domain/numbering';
import { parseExternalRef } from '../../../../shared/import/external-ref';

function matches(c: Command, words: readonly string[]): boolean {
  const hay = `${c.group} ${c.label}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** Ctrl/Cmd+K: every action and place in the console, searchable by keyboard. */
export function CommandPalette() {
  const open = useUi((s) => s.paletteOpen);
  const setPalette = useUi((s) => s.setPalette);
  return open ? <PaletteDialog onClose={() => setPalette(false)} /> : null;
}

function PaletteDialog({ onClose }: { readonly onClose: () => void }) {
  const commands = useAllCommands();
  const { queues } = useWorkspace();
  // Re-evaluate "Open <number>" when the ticket arrives in the replica.
  const version = useObservable(queues.version$, 0);
  const openTicket = useUi((s) => s.openTicket);
  const [text, setText] = useState('');
  const [at, setAt] = useState(0);
  const list = useMemo(() => {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    const found: Command[] = commands.filter((c) => !c.disabled && matches(c, words));
    const parsed = parseTicketNumber(text);
    // An imported ticket's source number (`INC0000045`) opens the ticket imported from it.
    const external = parsed.ok ? null : parseExternalRef(text);
    void version;
    const number = parsed.ok ? parsed.number : external?.number;
    if (number !== undefined) {
      const known = queues.index.get(number);
      const shown = external ? `${external.ref} (${number})` : number;
      found.unshift({
        id: `open:${number}`,
        group: 'Navigate',
        label: known ? `Open ${shown}: ${known.title}` : `Open ${shown} (not in this replica)`,
        disabled: !known,
        run: () => openTicket(number),
      });
    }
    return found;
  }, [commands, text, queues, openTicket, version]);
  const current = Math.min(at, Math.max(0, list.length - 1));
  const run = (c: Command | undefined) => {
    if (!c || c.disabled) return;
    onClose();
    c.run();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setAt(Math.min(list.length - 1, current + 1));
    else if (e.key === 'ArrowUp') setAt(Math.max(0, current - 1));
    else if (e.key === 'Enter') run(list[current]);
    else return;
    e.preventDefault();
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="palette-title">
      <DialogTitle id="palette-title" sx={{ pb: 1 }}>
        Command palette
      </DialogTitle>
      <DialogContent>
        <TextField
          autoFocus
          fullWidth
          size="small"
          label="Type a command or a ticket number"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setAt(0);
          }}
          onKeyDown={onKey}
          slotProps={{
            htmlInput: {
              role: 'combobox',
              'aria-expanded': true,
              'aria-controls': 'palette-list',
              'aria-activedescendant': list[current] ? `palette-${current}` : undefined,
            },
          }}
        />
        <List dense id="palette-list" role="listbox" aria-label="Commands" sx={{ mt: 1 }}>
          {list.length === 0 && (
            <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>
              No command matches “{text}”.
            </Typography>
          )}
          {list.slice(0, 50).map((c, i) => (
            <ListItemButton
              key={c.id}
              id={`palette-${i}`}
              role="option"
              aria-selected={i === current}
              selected={i === current}
              disabled={c.disabled}
              onClick={() => run(c)}
              data-testid="palette-item"
            >
              <ListItemText primary={c.label} secondary={c.group} />
              {c.keys && (
                <Box component="kbd" sx={{ fontFamily: 'monospace', ml: 2 }}>
                  {keyLabel(c.keys)}
                </Box>
              )}
            </ListItemButton>
          ))}
        </List>
      </DialogContent>
    </Dialog>
  );
}

/** Fixed keys that are not commands of their own (queue navigation). */
const QUEUE_KEYS: readonly (readonly [string, string])[] = [
  ['J / ↓', 'Next ticket in the queue'],
  ['K / ↑', 'Previous ticket in the queue'],
  ['Enter', 'Open the ticket under the cursor'],
  ['X', 'Select or unselect the ticket under the cursor'],
  ['A', 'Assign the selected tickets (or the one under the cursor) to me'],
  ['Esc', 'Clear the selection'],
  ['Enter / Ctrl+Enter', 'In a dialog: submit (Enter from a single-line field)'],
  ['Esc', 'In a dialog: cancel (asks first when something was typed)'],
];

/** `?`: the cheat sheet of every shortcut, built from the same registry as the palette. */
export function ShortcutsDialog() {
  const open = useUi((s) => s.shortcutsOpen);
  const setShortcuts = useUi((s) => s.setShortcuts);
  const commands = useAllCommands();
  if (!open) return null;
  const bound = commands.filter((c) => c.keys);
  const rows: (readonly [string, string])[] = [
    ...bound.map((c) => [keyLabel(c.keys ?? ''), c.label] as const),
    ...QUEUE_KEYS,
  ];
  return (
    <Dialog open onClose={() => setShortcuts(false)} aria-labelledby="shortcuts-title">
      <DialogTitle id="shortcuts-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        <Table size="small" aria-label="Keyboard shortcuts">
          <TableHead>
            <TableRow>
              <TableCell>Key</TableCell>
              <TableCell>Action</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(([k, label]) => (
              <TableRow key={`${k}:${label}`}>
                <TableCell>
                  <Box component="kbd" sx={{ fontFamily: 'monospace' }}>
                    {k}
                  </Box>
                </TableCell>
                <TableCell>{label}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
    </Dialog>
  );
}

/**
 * The command registry behind the palette (Ctrl/Cmd+K), the keyboard shortcuts and the cheat
 * sheet: every feature registers what it can do right now, so the three never disagree.
 */
import { useEffect } from 'react';
import { create } from 'zustand';

export type CommandGroup = 'Navigate' | 'Ticket' | 'Queue' | 'Create' | 'App';

export type Command = {
  readonly id: string;
  readonly label: string;
  readonly group: CommandGroup;
  /** A single-key shortcut (`n`, `?`) or `mod+k`; shown in the palette and the cheat sheet. */
  readonly keys?: string;
  readonly disabled?: boolean;
  readonly run: () => void;
};

type Registry = {
  readonly owners: Readonly<Record<string, readonly Command[]>>;
  readonly put: (owner: string, commands: readonly Command[]) => void;
  readonly drop: (owner: string) => void;
};

const useRegistry = create<Registry>()((set) => ({
  owners: {},
  put: (owner, commands) => set((s) => ({ owners: { ...s.owners, [owner]: commands } })),
  drop: (owner) =>
    set((s) => {
      const { [owner]: _gone, ...rest } = s.owners;
      return { owners: rest };
    }),
}));

/** Registers `commands` under `owner` while the calling component is mounted (memoize them). */
export function useCommands(owner: string, commands: readonly Command[]): void {
  useEffect(() => {
    useRegistry.getState().put(owner, commands);
    return () => useRegistry.getState().drop(owner);
  }, [owner, commands]);
}

/** Every registered command, the most recently registered owner first. */
export function allCommands(): readonly Command[] {
  return Object.values(useRegistry.getState().owners).reverse().flat();
}

/** Live list of every registered command. */
export function useAllCommands(): readonly Command[] {
  const owners = useRegistry((s) => s.owners);
  return Object.values(owners).reverse().flat();
}

/** The shortcut a keyboard event stands for (`mod+k`, `?`, `n`), or null. */
export function shortcutOf(e: KeyboardEvent): string | null {
  if (e.altKey) return null;
  if (e.ctrlKey || e.metaKey) return e.key.length === 1 ? `mod+${e.key.toLowerCase()}` : null;
  return e.key.length === 1 ? e.key : null;
}

/** True when the event's target takes text (shortcuts other than mod+… must not fire there). */
export function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.isContentEditable
  );
}

/** Runs the enabled command bound to `key`, if any; returns whether one ran. */
export function runShortcut(key: string): boolean {
  const cmd = allCommands().find((c) => c.keys === key && !c.disabled);
  if (!cmd) return false;
  cmd.run();
  return true;
}

/** How a shortcut is shown to people. */
export function keyLabel(keys: string): string {
  const mac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);
  return keys.replace('mod+', mac ? '⌘' : 'Ctrl+').toUpperCase();
}

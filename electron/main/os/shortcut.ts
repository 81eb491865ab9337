/**
 * The global quick-create shortcut. It is a convenience: when the accelerator is malformed or
 * another application holds it, the app logs one line and carries on without it.
 */
import type { GlobalShortcut } from 'electron';
import type { Logger } from '../log';

const MODIFIERS = new Set([
  'command',
  'cmd',
  'control',
  'ctrl',
  'commandorcontrol',
  'cmdorctrl',
  'alt',
  'option',
  'altgr',
  'shift',
  'super',
  'meta',
]);
const KEY_RE =
  /^([A-Za-z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Return|Enter|Up|Down|Left|Right|Home|End|PageUp|PageDown|Escape|Esc|Plus|[-=[\];',./`\\])$/;

/**
 * True for an Electron accelerator with at least one modifier and exactly one key, e.g.
 * `CommandOrControl+Alt+N`. A global shortcut without a modifier would steal a plain key system-wide.
 */
export function isValidAccelerator(text: string): boolean {
  if (text.length > 60) return false;
  const parts = text.split('+');
  const key = parts.pop();
  if (key === undefined || parts.length === 0) return false;
  return parts.every((p) => MODIFIERS.has(p.toLowerCase())) && KEY_RE.test(key);
}

/** Registers `accelerator` (or nothing when null); returns the unregister function. */
export function registerQuickCreate(
  shortcuts: Pick<GlobalShortcut, 'register' | 'unregister'>,
  accelerator: string | null,
  onPress: () => void,
  log: Logger,
): () => void {
  const none = (): void => undefined;
  if (accelerator === null) return none;
  if (!isValidAccelerator(accelerator)) {
    log.warn(`quick-create shortcut "${accelerator}" is not a valid accelerator; skipped`);
    return none;
  }
  let ok: boolean;
  try {
    ok = shortcuts.register(accelerator, onPress);
  } catch (err) {
    log.warn(`quick-create shortcut "${accelerator}" refused: ${String(err)}; skipped`);
    return none;
  }
  if (!ok) {
    log.warn(`quick-create shortcut "${accelerator}" is taken by another application; skipped`);
    return none;
  }
  log.info(`quick-create shortcut: ${accelerator}`);
  return () => shortcuts.unregister(accelerator);
}

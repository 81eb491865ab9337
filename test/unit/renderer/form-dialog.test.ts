/** Which key presses submit a dialog (the shared keyboard contract of every form dialog). */
import { describe, expect, it } from 'vitest';
import { dialogKeyAction } from '../../../renderer/src/app/useFormDialog';

const input = (type: string, attrs: Record<string, string> = {}) => ({
  tagName: 'INPUT',
  type,
  getAttribute: (name: string) => attrs[name] ?? null,
});
const textarea = { tagName: 'TEXTAREA', type: 'textarea', getAttribute: () => null };
const button = { tagName: 'BUTTON', type: 'button', getAttribute: () => null };

const press = (target: unknown, over: Partial<Parameters<typeof dialogKeyAction>[0]> = {}) =>
  dialogKeyAction({
    key: 'Enter',
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    defaultPrevented: false,
    isComposing: false,
    target: target as EventTarget,
    ...over,
  });

describe('dialog keys', () => {
  it('Enter submits from a single-line field, not from a text area or a button', () => {
    expect(press(input('text'))).toBe('submit');
    expect(press(input('search'))).toBe('submit');
    expect(press(textarea)).toBeNull();
    expect(press(button)).toBeNull();
    expect(press(input('checkbox'))).toBeNull();
    expect(press(null)).toBeNull();
  });

  it('Ctrl+Enter and Cmd+Enter submit from anywhere, a text area too', () => {
    expect(press(textarea, { ctrlKey: true })).toBe('submit');
    expect(press(textarea, { metaKey: true })).toBe('submit');
    expect(press(button, { ctrlKey: true })).toBe('submit');
  });

  it('leaves Enter to a field that used it, an open list, an input method, Shift+Enter', () => {
    expect(press(input('text'), { defaultPrevented: true })).toBeNull();
    expect(press(input('text', { 'aria-expanded': 'true' }))).toBeNull();
    expect(press(input('text', { 'aria-expanded': 'false' }))).toBe('submit');
    expect(press(input('text'), { isComposing: true })).toBeNull();
    expect(press(input('text'), { shiftKey: true })).toBeNull();
    expect(press(input('text'), { key: 'a' })).toBeNull();
    expect(press(textarea, { ctrlKey: true, defaultPrevented: true })).toBeNull();
  });
});

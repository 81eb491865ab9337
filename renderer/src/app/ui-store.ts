/**
 * UI state of the console (which page, which tickets are open as tabs, theme, saved views). Synced
 * data never lives here: it comes from the replica. Preferences persist on this device.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { QueueFilter, QueueView } from '../../../shared/queue';
import {
  DEFAULT_WALL_SETTINGS,
  checkWallSettings,
  restoreUiPrefs,
  type ThemeMode,
  type WallSettings,
} from './ui-prefs';
import {
  EMPTY_USER_SESSION,
  readUserSession,
  writeUserSession,
  type Draft,
  type UserSession,
} from './user-session';

export { DEFAULT_WALL_SETTINGS, type ThemeMode, type WallSettings };

export type Page =
  'queue' | 'pending' | 'wallboard' | 'field' | 'import' | 'staff' | 'templates' | 'sla';

/** A queue opened from a wallboard tile: a temporary view with the tile's filter. */
export type Drill = { readonly name: string; readonly filter: QueueFilter };

/** The most tickets kept open as tabs; opening one more closes the oldest. */
export const MAX_TABS = 8;

type UiState = {
  readonly page: Page;
  readonly viewId: string;
  readonly tabs: readonly string[];
  readonly activeTab: string | null;
  readonly paletteOpen: boolean;
  readonly shortcutsOpen: boolean;
  readonly themeMode: ThemeMode;
  /** Saved custom views, by user name (this device's copy). */
  readonly savedViews: Readonly<Record<string, readonly QueueView[]>>;
  readonly drill: Drill | null;
  readonly wall: WallSettings;
  /** Unsent composer drafts by ticket number (the signed-in user's; see user-session). */
  readonly drafts: Readonly<Record<string, Draft>>;
  readonly setDraft: (number: string, draft: Draft | null) => void;
  readonly showDrill: (drill: Drill | null) => void;
  readonly setWall: (patch: Partial<WallSettings>) => void;
  readonly showPage: (page: Page) => void;
  readonly showView: (viewId: string) => void;
  readonly openTicket: (number: string) => void;
  readonly closeTicket: (number: string) => void;
  readonly setPalette: (open: boolean) => void;
  readonly setShortcuts: (open: boolean) => void;
  readonly setThemeMode: (mode: ThemeMode) => void;
  readonly saveView: (user: string, view: QueueView) => void;
  readonly deleteView: (user: string, viewId: string) => void;
};

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      page: 'queue',
      viewId: 'recent',
      tabs: [],
      activeTab: null,
      paletteOpen: false,
      shortcutsOpen: false,
      themeMode: 'system',
      savedViews: {},
      drill: null,
      wall: DEFAULT_WALL_SETTINGS,
      drafts: {},
      setDraft: (number, draft) =>
        set((s) => {
          const drafts = { ...s.drafts };
          if (draft && draft.body.trim() !== '') drafts[number] = draft;
          else delete drafts[number];
          return { drafts };
        }),
      showDrill: (drill) => set(drill ? { drill, page: 'queue' } : { drill: null }),
      setWall: (patch) => set((s) => ({ wall: checkWallSettings({ ...s.wall, ...patch }) })),
      showPage: (page) => set({ page }),
      showView: (viewId) => set({ viewId, page: 'queue', drill: null }),
      openTicket: (number) =>
        set((s) => {
          const tabs = s.tabs.includes(number) ? s.tabs : [...s.tabs, number].slice(-MAX_TABS);
          return { tabs, activeTab: number, page: 'queue' };
        }),
      closeTicket: (number) =>
        set((s) => {
          const i = s.tabs.indexOf(number);
          const tabs = s.tabs.filter((t) => t !== number);
          const activeTab =
            s.activeTab !== number ? s.activeTab : (tabs[Math.min(i, tabs.length - 1)] ?? null);
          return { tabs, activeTab };
        }),
      setPalette: (paletteOpen) => set({ paletteOpen, shortcutsOpen: false }),
      setShortcuts: (shortcutsOpen) => set({ shortcutsOpen, paletteOpen: false }),
      setThemeMode: (themeMode) => set({ themeMode }),
      saveView: (user, view) =>
        set((s) => {
          const mine = (s.savedViews[user] ?? []).filter((v) => v.id !== view.id);
          return { savedViews: { ...s.savedViews, [user]: [...mine, view] }, viewId: view.id };
        }),
      deleteView: (user, viewId) =>
        set((s) => ({
          savedViews: {
            ...s.savedViews,
            [user]: (s.savedViews[user] ?? []).filter((v) => v.id !== viewId),
          },
          viewId: s.viewId === viewId ? 'recent' : s.viewId,
        })),
    }),
    {
      name: 'switchboard.ui',
      version: 1,
      partialize: (s) => ({
        themeMode: s.themeMode,
        savedViews: s.savedViews,
        viewId: s.viewId,
        wall: s.wall,
      }),
      // Storage is not trusted: each field is checked, a bad one gets its default (ui-prefs).
      merge: (saved, current) => ({ ...current, ...restoreUiPrefs(saved, current) }),
    },
  ),
);

const sessionOf = (s: UiState): UserSession => ({
  tabs: s.tabs,
  activeTab: s.activeTab,
  viewId: s.viewId,
  drafts: s.drafts,
});

/**
 * Restores `user`'s open tabs, selected view and drafts from this device's storage and keeps
 * them stored as they change. The returned function stops that and clears them from memory,
 * so whoever signs in next on this device starts from their own.
 */
export function startUserSession(user: string, storage: Storage = localStorage): () => void {
  const saved = readUserSession(storage, user);
  useUi.setState({
    tabs: saved.tabs,
    activeTab: saved.activeTab,
    viewId: saved.viewId ?? useUi.getInitialState().viewId,
    drafts: saved.drafts,
  });
  let last = sessionOf(useUi.getState());
  const unsubscribe = useUi.subscribe((s) => {
    const next = sessionOf(s);
    if (
      next.tabs === last.tabs &&
      next.activeTab === last.activeTab &&
      next.viewId === last.viewId &&
      next.drafts === last.drafts
    )
      return;
    last = next;
    writeUserSession(storage, user, next);
  });
  return () => {
    unsubscribe();
    useUi.setState({
      tabs: EMPTY_USER_SESSION.tabs,
      activeTab: EMPTY_USER_SESSION.activeTab,
      drafts: EMPTY_USER_SESSION.drafts,
      viewId: useUi.getInitialState().viewId,
    });
  };
}

/**
 * UI state of the console (which page, which tickets are open as tabs, theme, saved views). Synced
 * data never lives here: it comes from the replica. Preferences persist on this device.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { QueueView } from '../../../shared/queue';

export type ThemeMode = 'system' | 'light' | 'dark';
export type Page = 'queue' | 'pending';

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
      showPage: (page) => set({ page }),
      showView: (viewId) => set({ viewId, page: 'queue' }),
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
      partialize: (s) => ({ themeMode: s.themeMode, savedViews: s.savedViews, viewId: s.viewId }),
    },
  ),
);

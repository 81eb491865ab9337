/** Focus visible in every theme: a ring of 2 px or more, 3:1 or more against the backgrounds. */
import { describe, expect, it } from 'vitest';
import { getContrastRatio, type Theme } from '@mui/material/styles';
import { FOCUS_RING_WIDTH, deskTheme, wallTheme } from '../../../renderer/src/app/theme';

function ringOf(theme: Theme): { outline: string } {
  const overrides = theme.components?.MuiCssBaseline?.styleOverrides as
    Record<string, { outline: string }> | undefined;
  const key = Object.keys(overrides ?? {}).find((k) => k.includes(':focus-visible'));
  expect(key, 'a :focus-visible rule').toBeDefined();
  expect(key).toContain('.Mui-focusVisible');
  return overrides![key!]!;
}

describe('focus ring', () => {
  const themes: [string, Theme][] = [
    ['light', deskTheme('light')],
    ['dark', deskTheme('dark')],
    ['wall', wallTheme],
  ];
  it.each(themes)(
    '%s: a solid outline of 2 px or more that contrasts 3:1 with the page',
    (_, t) => {
      expect(FOCUS_RING_WIDTH).toBeGreaterThanOrEqual(2);
      const m = /^(\d+)px solid (#[0-9a-f]{6})$/i.exec(ringOf(t).outline);
      expect(m, ringOf(t).outline).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(2);
      for (const bg of [t.palette.background.default, t.palette.background.paper]) {
        expect(getContrastRatio(m![2]!, bg), `${m![2]} on ${bg}`).toBeGreaterThanOrEqual(3);
      }
    },
  );
});

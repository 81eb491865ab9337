import { createTheme, type Components, type Theme } from '@mui/material/styles';

/** The width of the keyboard focus ring, in px (WCAG 2.2 focus appearance asks for at least 2). */
export const FOCUS_RING_WIDTH = 2;

/**
 * A keyboard focus ring on everything focusable: a solid outline in `color` (chosen for 3:1 or
 * more against the theme's backgrounds), outside the element so it never covers text. MUI
 * removes the native outline on its buttons and marks keyboard focus with `.Mui-focusVisible`
 * (on switches and checkboxes the focused input itself is invisible), so both are styled; the
 * `html body` prefix outranks the single-class `outline: 0` of MUI's components. Text fields
 * keep their own focused border (2 px in the primary colour) rather than a second ring.
 */
function focusRing(color: string): Components<Theme> {
  const ring = {
    outline: `${FOCUS_RING_WIDTH}px solid ${color}`,
    outlineOffset: '2px',
  };
  return {
    MuiCssBaseline: {
      styleOverrides: {
        'html body :focus-visible:not(.MuiInputBase-input), html body .Mui-focusVisible': ring,
      },
    },
  };
}

/** The focus ring colour of each theme (also checked by test/unit/renderer/theme-focus.test.ts). */
export const FOCUS_RING_COLOR = { light: '#1f5fa8', dark: '#7fb0ff', wall: '#7fb0ff' } as const;

/** The console theme in light or dark mode. */
export function deskTheme(mode: 'light' | 'dark'): Theme {
  return createTheme({
    palette:
      mode === 'light'
        ? {
            mode,
            primary: { main: '#1f5fa8' },
            // MUI's default info and warning are below 4.5:1 against white text (axe-core
            // color-contrast): darker shades for chips and buttons in the light theme.
            info: { main: '#01579b' },
            warning: { main: '#b45309' },
          }
        : {
            mode,
            primary: { main: '#7fb0ff' },
            // MUI's dark error (#f44336) is 3.7:1 against its white text: the breached SLA chips
            // failed axe-core's color-contrast once the dark check really ran in the dark theme.
            error: { main: '#d32f2f' },
          },
    typography: {
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      fontSize: 13,
    },
    components: {
      MuiButton: { defaultProps: { disableElevation: true } },
      ...focusRing(FOCUS_RING_COLOR[mode]),
    },
  });
}

/** The wall theme: dark, large type, readable across a room. */
export const wallTheme: Theme = createTheme({
  palette: {
    mode: 'dark',
    primary: { main: '#7fb0ff' },
    background: { default: '#0b0f14', paper: '#141b24' },
  },
  typography: {
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    fontSize: 18,
  },
  components: {
    MuiButton: { defaultProps: { disableElevation: true } },
    ...focusRing(FOCUS_RING_COLOR.wall),
  },
});

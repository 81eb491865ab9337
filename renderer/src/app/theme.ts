import { createTheme, type Theme } from '@mui/material/styles';

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
    components: { MuiButton: { defaultProps: { disableElevation: true } } },
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
  components: { MuiButton: { defaultProps: { disableElevation: true } } },
});

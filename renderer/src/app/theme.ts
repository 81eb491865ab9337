import { createTheme, type Theme } from '@mui/material/styles';

/** The console theme in light or dark mode. */
export function deskTheme(mode: 'light' | 'dark'): Theme {
  return createTheme({
    palette: { mode, primary: { main: mode === 'light' ? '#1f5fa8' : '#7fb0ff' } },
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

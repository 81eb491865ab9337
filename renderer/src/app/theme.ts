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

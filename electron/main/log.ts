/**
 * The main-process logger. Modules take a `Logger` so tests can pass a recording one; the app
 * passes electron-log, which writes to the platform's log directory and the console.
 */

/** What main-process modules log through. */
export type Logger = {
  readonly info: (message: string) => void;
  readonly warn: (message: string) => void;
  readonly error: (message: string) => void;
};

/** A logger that keeps lines in memory (tests, and before electron-log is set up). */
export function memoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info: ${m}`),
    warn: (m) => void lines.push(`warn: ${m}`),
    error: (m) => void lines.push(`error: ${m}`),
  };
}

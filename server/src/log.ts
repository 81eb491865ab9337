/** A tiny leveled logger for the server side, so nothing calls console directly. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = order[(process.env.SWITCHBOARD_LOG_LEVEL as Level | undefined) ?? 'info'] ?? 20;

function write(level: Level, scope: string, message: string, extra?: unknown): void {
  if (order[level] < threshold) return;
  const line = `[${new Date().toISOString()}] ${level.padEnd(5)} ${scope}: ${message}${
    extra === undefined
      ? ''
      : ' ' + (extra instanceof Error ? extra.message : JSON.stringify(extra))
  }\n`;
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line);
}

/** A logger bound to one scope (e.g. "gateway"). */
export type Logger = { [L in Level]: (message: string, extra?: unknown) => void };

/** Creates a logger whose lines are prefixed with `scope`. */
export function createLogger(scope: string): Logger {
  return {
    debug: (m, e) => write('debug', scope, m, e),
    info: (m, e) => write('info', scope, m, e),
    warn: (m, e) => write('warn', scope, m, e),
    error: (m, e) => write('error', scope, m, e),
  };
}

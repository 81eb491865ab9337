/**
 * Keeps the CouchDB engine child alive: forks it, waits for its port, and restarts it with
 * backoff when it dies, so one request that crashes PouchDB Server costs a second of 503s
 * instead of the whole desk.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../log';

const log = createLogger('supervisor');

export type SupervisorOptions = {
  readonly dataDir: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Called with the engine's private port each time it (re)starts. */
  readonly onReady: (port: number) => void;
  /** Called when the engine goes down, before a restart is scheduled. */
  readonly onDown: () => void;
};

export type Supervisor = {
  readonly restarts: () => number;
  readonly pid: () => number | undefined;
  readonly stop: () => Promise<void>;
};

const childPath = fileURLToPath(new URL('./couch-child.ts', import.meta.url));

/** Starts the engine and resolves once it first listens. */
export async function superviseEngine(opts: SupervisorOptions): Promise<Supervisor> {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let backoffMs = 250;
  let healthyTimer: NodeJS.Timeout | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  const spawnOnce = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const c = fork(childPath, [], {
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          SB_CHILD_DATA_DIR: opts.dataDir,
          SB_CHILD_PORT: '0',
          SB_CHILD_ADMIN_USER: opts.adminUser,
          SB_CHILD_ADMIN_PASSWORD: opts.adminPassword,
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child = c;
      let ready = false;
      c.on('message', (msg: unknown) => {
        if (isListening(msg)) {
          ready = true;
          opts.onReady(msg.port);
          healthyTimer = setTimeout(() => {
            backoffMs = 250;
          }, 30_000);
          resolve();
        }
      });
      c.on('exit', (code, signal) => {
        clearTimeout(healthyTimer);
        if (child === c) child = undefined;
        if (!ready) reject(new Error(`engine exited before listening (code ${code}, ${signal})`));
        if (stopping) return;
        opts.onDown();
        restarts += 1;
        log.warn(`engine exited (code ${code}, signal ${signal}); restarting in ${backoffMs} ms`);
        restartTimer = setTimeout(() => {
          spawnOnce().catch((err: unknown) => log.error('engine restart failed', err));
        }, backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      });
    });

  await spawnOnce();
  return {
    restarts: () => restarts,
    pid: () => child?.pid,
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      clearTimeout(healthyTimer);
      const c = child;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), 3_000).unref();
      });
    },
  };
}

function isListening(msg: unknown): msg is { type: 'listening'; port: number } {
  return (
    typeof msg === 'object' &&
    msg !== null &&
    (msg as { type?: unknown }).type === 'listening' &&
    typeof (msg as { port?: unknown }).port === 'number'
  );
}

/**
 * Runs desk services as a child process beside the engine, as the engine's supervisor does:
 * restarted with backoff when it dies, logging to the same stdout/stderr.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../log';

const log = createLogger('supervisor');
const childPath = fileURLToPath(new URL('./child.ts', import.meta.url));

export type ServicesSupervisor = {
  /** The status endpoint of the running child (changes when it restarts on another port). */
  readonly statusUrl: () => string | undefined;
  readonly inboundPort: () => number | undefined;
  readonly pid: () => number | undefined;
  readonly restarts: () => number;
  readonly stop: () => Promise<void>;
};

type Listening = { type: 'listening'; statusUrl: string; inboundPort?: number };

/** Starts desk services with `env` and resolves once it first listens. */
export async function superviseServices(env: NodeJS.ProcessEnv): Promise<ServicesSupervisor> {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let backoffMs = 250;
  let statusUrl: string | undefined;
  let inboundPort: number | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let healthyTimer: NodeJS.Timeout | undefined;

  const spawnOnce = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const c = fork(childPath, [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child = c;
      let ready = false;
      c.on('message', (msg: unknown) => {
        const m = msg as Partial<Listening>;
        if (m?.type === 'listening' && typeof m.statusUrl === 'string') {
          ready = true;
          statusUrl = m.statusUrl;
          inboundPort = m.inboundPort;
          healthyTimer = setTimeout(() => {
            backoffMs = 250;
          }, 30_000);
          resolve();
        }
      });
      c.on('exit', (code, signal) => {
        clearTimeout(healthyTimer);
        if (child === c) child = undefined;
        statusUrl = undefined;
        if (!ready)
          reject(new Error(`desk services exited before listening (code ${code}, ${signal})`));
        if (stopping) return;
        restarts += 1;
        log.warn(
          `desk services exited (code ${code}, signal ${signal}); restarting in ${backoffMs} ms`,
        );
        restartTimer = setTimeout(() => {
          spawnOnce().catch((err: unknown) => log.error('desk services restart failed', err));
        }, backoffMs);
        backoffMs = Math.min(backoffMs * 2, 10_000);
      });
    });

  // A first start that fails (a port taken, CouchDB not provisioned yet) is retried with backoff
  // like a crash; the desk runs on without mail meanwhile.
  await spawnOnce().catch((err: unknown) => log.error('desk services did not start', err));
  return {
    statusUrl: () => statusUrl,
    inboundPort: () => inboundPort,
    pid: () => child?.pid,
    restarts: () => restarts,
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      clearTimeout(healthyTimer);
      const c = child;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), 5_000).unref();
      });
    },
  };
}

/**
 * Keeps the CouchDB engine child alive: forks it, waits for it to listen, and restarts it with
 * backoff when it dies, so one request that crashes PouchDB Server costs a second of 503s
 * instead of the whole desk. A watchdog asks the engine `GET /` every few seconds and kills
 * (then restarts) an engine that has not answered for `stallMs`: a hung engine is restarted
 * like a dead one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineTarget } from './gateway';
import { createLogger } from '../log';

const log = createLogger('supervisor');

export type SupervisorOptions = {
  readonly dataDir: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Called with where the engine listens each time it (re)starts. */
  readonly onReady: (target: EngineTarget) => void;
  /** An engine that has not answered `GET /` for this long is killed and restarted. */
  readonly stallMs?: number;
  /** Called when the engine goes down, before a restart is scheduled. */
  readonly onDown: () => void;
};

export type Supervisor = {
  readonly restarts: () => number;
  readonly pid: () => number | undefined;
  /** The engine's Unix socket (undefined on Windows, where it listens on a loopback port). */
  readonly socketPath: () => string | undefined;
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
  let target: EngineTarget | undefined;
  // A directory only this user can enter (mkdtemp makes it 0700), holding the 0600 socket.
  const socketDir =
    process.platform === 'win32' ? undefined : mkdtempSync(join(tmpdir(), 'sb-engine-'));
  const socketPath = socketDir ? join(socketDir, 'engine.sock') : undefined;
  const stallMs = opts.stallMs ?? 20_000;
  let lastAnswer = Date.now();
  let probing = false;
  const watchdog = setInterval(
    () => {
      const c = child;
      if (!c || !target || stopping) return;
      if (Date.now() - lastAnswer > stallMs) {
        log.warn(`engine has not answered for ${stallMs} ms; killing it for a restart`);
        lastAnswer = Date.now();
        c.kill('SIGKILL');
        return;
      }
      if (probing) return;
      probing = true;
      const req = request({ ...target, method: 'GET', path: '/', timeout: stallMs }, (res) => {
        res.resume();
        res.on('end', () => {
          probing = false;
          if (child === c) lastAnswer = Date.now();
        });
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => {
        probing = false;
      });
      req.end();
    },
    Math.min(2_000, Math.max(100, Math.floor(stallMs / 4))),
  );
  watchdog.unref();

  const spawnOnce = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const c = fork(childPath, [], {
        execArgv: ['--import', 'tsx'],
        env: {
          ...process.env,
          SB_CHILD_DATA_DIR: opts.dataDir,
          SB_CHILD_PORT: '0',
          ...(socketPath ? { SB_CHILD_SOCKET: socketPath } : {}),
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
          target =
            msg.socketPath !== undefined ? { socketPath: msg.socketPath } : { port: msg.port! };
          lastAnswer = Date.now();
          opts.onReady(target);
          healthyTimer = setTimeout(() => {
            backoffMs = 250;
          }, 30_000);
          resolve();
        }
      });
      c.on('exit', (code, signal) => {
        clearTimeout(healthyTimer);
        if (child === c) {
          child = undefined;
          target = undefined;
        }
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
    socketPath: () => socketPath,
    stop: async () => {
      stopping = true;
      clearInterval(watchdog);
      clearTimeout(restartTimer);
      clearTimeout(healthyTimer);
      const c = child;
      if (c && c.exitCode === null)
        await new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 3_000).unref();
        });
      if (socketDir) rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

function isListening(
  msg: unknown,
): msg is { type: 'listening'; port?: number; socketPath?: string } {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as { type?: unknown; port?: unknown; socketPath?: unknown };
  return m.type === 'listening' && (typeof m.port === 'number' || typeof m.socketPath === 'string');
}

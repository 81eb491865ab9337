/** Desk services as a real child process (for kill -9), pointed at a test desk. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PREFIX, type TestDesk } from './desk-server';

const childPath = fileURLToPath(new URL('../../server/src/services/child.ts', import.meta.url));

export type ServicesProcess = {
  readonly id: string;
  readonly pid: number;
  readonly statusUrl: string;
  readonly inboundPort: number;
  readonly alive: () => boolean;
  /** kill -9, and wait for the exit. */
  readonly kill9: () => Promise<void>;
  readonly stop: () => Promise<void>;
};

/** Forks one desk services instance; resolves when it listens. */
export function startServicesProcess(
  desk: TestDesk,
  id: string,
  smtpUrl: string | undefined,
  env: Record<string, string> = {},
): Promise<ServicesProcess> {
  const child: ChildProcess = fork(childPath, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      SWITCHBOARD_COUCH_URL: desk.url,
      SWITCHBOARD_DB_PREFIX: PREFIX,
      SWITCHBOARD_SERVICES_INSTANCE: id,
      SWITCHBOARD_SMTP_URL: smtpUrl ?? '',
      SWITCHBOARD_MAIL_FROM: 'servicedesk@desk.test',
      SWITCHBOARD_MAIL_DOMAIN: 'desk.test',
      SWITCHBOARD_INBOUND_SMTP_PORT: '0',
      SWITCHBOARD_SERVICES_PORT: '0',
      SWITCHBOARD_SERVICES_LEASE_MS: '2000',
      SWITCHBOARD_SMTP_TIMEOUT_MS: '1500',
      SWITCHBOARD_MAIL_RETRY_MS: '200',
      SWITCHBOARD_MAIL_MAX_ATTEMPTS: '20',
      SWITCHBOARD_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`services ${id} exited early (${code})`)));
    child.on('message', (m: unknown) => {
      const msg = m as { type?: string; statusUrl?: string; inboundPort?: number };
      if (msg.type !== 'listening') return;
      resolve({
        id,
        pid: child.pid!,
        statusUrl: msg.statusUrl!,
        inboundPort: msg.inboundPort!,
        alive: () => child.exitCode === null && child.signalCode === null,
        kill9: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** Desk services' configuration, from the environment, with demo defaults for `npm start`. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export type ServicesConfig = {
  readonly couchUrl: string;
  readonly dbPrefix: string;
  readonly user: string;
  readonly password: string;
  /** This instance's name in leases and status (unique per process). */
  readonly instanceId: string;
  /** `smtp://user:pass@host:port` of the outbound relay; absent: the demo mailbox. */
  readonly smtpUrl: string | undefined;
  /** The desk's address: From of outbound mail, and mail from it is never a ticket. */
  readonly from: string;
  /** Domain of the desk's Message-IDs. */
  readonly mailDomain: string;
  /** Port of the inbound SMTP listener (0: any free port; -1: no listener). */
  readonly inboundPort: number;
  readonly inboundHost: string;
  /** Port of the status and demo-mailbox HTTP endpoint (0: any free port). */
  readonly statusPort: number;
  readonly leaseMs: number;
  /** Largest inbound message accepted. */
  readonly maxMessageBytes: number;
  /** Mails one sender may send in `rateWindowMs` before being told to wait. */
  readonly ratePerSender: number;
  readonly rateWindowMs: number;
  /** SMTP timeouts for a relay that stalls. */
  readonly smtpTimeoutMs: number;
  readonly maxAttempts: number;
  /** First retry delay; doubled for each further attempt. */
  readonly retryBaseMs: number;
  /** Finished work (`done:`, staff requests and results) is purged once older than this. */
  readonly retentionMs: number;
  /** How often the purge runs. */
  readonly purgeEveryMs: number;
  /** Credentials that may write `_users` (staff administration); absent: no staff worker. */
  readonly usersAdmin: { readonly user: string; readonly password: string } | undefined;
};

/** The demo service account password; `npm start` warns while it is in use. */
export const DEMO_SERVICE_PASSWORD = 'switchboard-services';
/** The service account's name. */
export const DEFAULT_SERVICE_USER = 'desk-services';

const num = (raw: string | undefined, fallback: number, name: string): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -1)
    throw new Error(`${name} must be a whole number, got "${raw}".`);
  return n;
};

/** Reads the services configuration from `env`. */
export function loadServicesConfig(env: NodeJS.ProcessEnv = process.env): ServicesConfig {
  const port = num(env.SWITCHBOARD_PORT, 5984, 'SWITCHBOARD_PORT');
  const from = env.SWITCHBOARD_MAIL_FROM ?? 'servicedesk@switchboard.example';
  return {
    couchUrl: (env.SWITCHBOARD_COUCH_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    dbPrefix: env.SWITCHBOARD_DB_PREFIX ?? 'sb_',
    user: env.SWITCHBOARD_SERVICE_USER ?? DEFAULT_SERVICE_USER,
    password: env.SWITCHBOARD_SERVICE_PASSWORD ?? DEMO_SERVICE_PASSWORD,
    instanceId:
      env.SWITCHBOARD_SERVICES_INSTANCE ??
      `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    smtpUrl: env.SWITCHBOARD_SMTP_URL || undefined,
    from,
    mailDomain: env.SWITCHBOARD_MAIL_DOMAIN ?? from.split('@')[1] ?? 'switchboard.example',
    inboundPort: num(env.SWITCHBOARD_INBOUND_SMTP_PORT, 2525, 'SWITCHBOARD_INBOUND_SMTP_PORT'),
    inboundHost: env.SWITCHBOARD_INBOUND_SMTP_HOST ?? '127.0.0.1',
    statusPort: num(env.SWITCHBOARD_SERVICES_PORT, 5175, 'SWITCHBOARD_SERVICES_PORT'),
    leaseMs: num(env.SWITCHBOARD_SERVICES_LEASE_MS, 60_000, 'SWITCHBOARD_SERVICES_LEASE_MS'),
    maxMessageBytes: num(
      env.SWITCHBOARD_MAIL_MAX_BYTES,
      10 * 1024 * 1024,
      'SWITCHBOARD_MAIL_MAX_BYTES',
    ),
    ratePerSender: num(env.SWITCHBOARD_MAIL_RATE, 30, 'SWITCHBOARD_MAIL_RATE'),
    rateWindowMs: num(
      env.SWITCHBOARD_MAIL_RATE_WINDOW_MS,
      600_000,
      'SWITCHBOARD_MAIL_RATE_WINDOW_MS',
    ),
    smtpTimeoutMs: num(env.SWITCHBOARD_SMTP_TIMEOUT_MS, 30_000, 'SWITCHBOARD_SMTP_TIMEOUT_MS'),
    maxAttempts: num(env.SWITCHBOARD_MAIL_MAX_ATTEMPTS, 8, 'SWITCHBOARD_MAIL_MAX_ATTEMPTS'),
    retryBaseMs: num(env.SWITCHBOARD_MAIL_RETRY_MS, 30_000, 'SWITCHBOARD_MAIL_RETRY_MS'),
    retentionMs:
      num(env.SWITCHBOARD_SERVICES_RETENTION_DAYS, 30, 'SWITCHBOARD_SERVICES_RETENTION_DAYS') *
      86_400_000,
    purgeEveryMs: num(
      env.SWITCHBOARD_SERVICES_PURGE_EVERY_MS,
      3_600_000,
      'SWITCHBOARD_SERVICES_PURGE_EVERY_MS',
    ),
    usersAdmin:
      env.SWITCHBOARD_USERS_ADMIN_USER && env.SWITCHBOARD_USERS_ADMIN_PASSWORD
        ? { user: env.SWITCHBOARD_USERS_ADMIN_USER, password: env.SWITCHBOARD_USERS_ADMIN_PASSWORD }
        : undefined,
  };
}

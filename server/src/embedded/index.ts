/** The embedded CouchDB-compatible server: a hardened gateway in front of a supervised engine. */
import { startGateway } from './gateway';
import { superviseEngine } from './supervisor';

export type EmbeddedServerOptions = {
  readonly host?: string;
  readonly port: number;
  readonly dataDir: string;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Restart an engine that has not answered for this long (default 20 s). */
  readonly stallMs?: number;
};

export type EmbeddedServer = {
  readonly url: string;
  readonly port: number;
  /** The engine's process id, for tests that kill it. */
  readonly enginePid: () => number | undefined;
  readonly engineRestarts: () => number;
  /** The engine's Unix socket, where the platform has them. */
  readonly engineSocket: () => string | undefined;
  readonly stop: () => Promise<void>;
};

/** Starts the gateway and the engine; resolves when both accept requests. */
export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const host = opts.host ?? '127.0.0.1';
  const gateway = await startGateway({
    host,
    port: opts.port,
    adminUser: opts.adminUser,
    adminPassword: opts.adminPassword,
    dataDir: opts.dataDir,
  });
  try {
    const supervisor = await superviseEngine({
      dataDir: opts.dataDir,
      adminUser: opts.adminUser,
      adminPassword: opts.adminPassword,
      onReady: (t) => gateway.setEngine(t),
      onDown: () => gateway.setEngine(undefined),
      ...(opts.stallMs !== undefined ? { stallMs: opts.stallMs } : {}),
    });
    return {
      url: `http://${host}:${gateway.port}`,
      port: gateway.port,
      enginePid: supervisor.pid,
      engineRestarts: supervisor.restarts,
      engineSocket: supervisor.socketPath,
      stop: async () => {
        await supervisor.stop();
        await gateway.close();
      },
    };
  } catch (err) {
    await gateway.close();
    throw err;
  }
}

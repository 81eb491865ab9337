/**
 * A TCP proxy on 127.0.0.1 that misbehaves on purpose, with seeded randomness: it drops
 * connections, stalls them, and truncates answers mid-stream. For reliability tests only.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createRng } from '../../server/src/provision/random';

export type ChaosOptions = {
  readonly seed: number;
  /** Probability that a connection is cut at once. */
  readonly drop: number;
  /** Probability that a connection stalls for up to `stallMs` before data flows. */
  readonly stall: number;
  readonly stallMs: number;
  /** Probability that the answer is cut after a random number of bytes. */
  readonly truncate: number;
};

export type ChaosProxy = {
  readonly url: string;
  readonly stats: {
    connections: number;
    dropped: number;
    stalled: number;
    truncated: number;
    blips: number;
  };
  /** Turns the chaos off (a calm network) or on again. */
  readonly setCalm: (calm: boolean) => void;
  /**
   * Cuts every open connection at once (a network blip), so the client opens new ones and each
   * new one draws its faults again; keep-alive otherwise lets a client live on a few connections
   * that drew none. Returns how many were cut.
   */
  readonly blip: () => number;
  readonly close: () => Promise<void>;
};

/** Starts a proxy to `target` (host:port on 127.0.0.1). */
export async function startChaosProxy(targetPort: number, o: ChaosOptions): Promise<ChaosProxy> {
  const rng = createRng(o.seed);
  const stats = { connections: 0, dropped: 0, stalled: 0, truncated: 0, blips: 0 };
  const sockets = new Set<Socket>();
  let calm = false;
  const server: Server = createServer((client) => {
    stats.connections += 1;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (!calm && rng.chance(o.drop)) {
      stats.dropped += 1;
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const stallFor = !calm && rng.chance(o.stall) ? rng.int(1, o.stallMs) : 0;
    // Within the first few kilobytes: answers shorter than the cut point would go through whole.
    const cutAfter = !calm && rng.chance(o.truncate) ? rng.int(1, 4_000) : Infinity;
    if (stallFor) stats.stalled += 1;
    let sent = 0;
    const start = () => {
      client.on('data', (chunk: Buffer) => upstream.write(chunk));
      upstream.on('data', (chunk: Buffer) => {
        if (sent + chunk.length > cutAfter) {
          stats.truncated += 1;
          client.write(chunk.subarray(0, Math.max(0, cutAfter - sent)));
          client.destroy();
          upstream.destroy();
          return;
        }
        sent += chunk.length;
        client.write(chunk);
      });
    };
    if (stallFor) {
      client.pause();
      setTimeout(() => {
        client.resume();
        start();
      }, stallFor);
    } else start();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setCalm: (c) => {
      calm = c;
    },
    blip: () => {
      const open = [...sockets];
      for (const s of open) s.destroy();
      stats.blips += 1;
      return open.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

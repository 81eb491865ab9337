/** A client device in its own process (see client-process.ts), driven from the test. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Reply = { id: number; ok: boolean; value?: unknown; error?: string } | { ready: true };
type Doc = Record<string, unknown>;

export type RemoteClient = {
  readonly name: string;
  readonly user: string;
  readonly setOnline: (online: boolean) => Promise<void>;
  readonly settled: (ms?: number) => Promise<void>;
  readonly syncNow: () => Promise<void>;
  readonly localDocs: (c: 'tickets' | 'activity' | 'directory') => Promise<Map<string, Doc>>;
  readonly count: (c: 'outbox' | 'rejections' | 'quarantine') => Promise<number>;
  readonly rejections: () => Promise<{ docId: string; reason: string }[]>;
  readonly updateTicket: (number: string, patch: Doc, actor: string) => Promise<void>;
  readonly moveTicket: (number: string, to: string, input: Doc, actor: string) => Promise<void>;
  readonly addActivity: (entry: Doc) => Promise<void>;
  /** Kills the process at once (a crashed app); its IndexedDB (in memory) is gone with it. */
  readonly kill: () => void;
  readonly close: () => Promise<void>;
};

/** Forks a device, signs `user` in against `url` and starts live sync. */
export async function startRemoteClient(url: string, user: string): Promise<RemoteClient> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./client-process.ts', import.meta.url)),
    [],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m: Reply) => {
      if ('ready' in m) return resolve();
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.ok) w?.resolve(m.value);
      else w?.reject(new Error(m.error));
    });
    child.once('exit', (code) => {
      for (const w of waiting.values()) w.reject(new Error(`client process exited (${code})`));
      waiting.clear();
    });
  });
  await ready;
  const call = <T>(op: string, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, args });
    });
  const started = await call<{ name: string }>('start', url, user);
  return {
    name: started.name,
    user,
    setOnline: (online) => call('setOnline', online),
    settled: (ms = 60_000) => call('settled', ms),
    syncNow: () => call('syncNow'),
    localDocs: async (c) => new Map(await call<[string, Doc][]>('localDocs', c)),
    count: (c) => call('count', c),
    rejections: () => call('rejections'),
    updateTicket: (n, p, a) => call('updateTicket', n, p, a),
    moveTicket: (n, to, i, a) => call('moveTicket', n, to, i, a),
    addActivity: (e) => call('addActivity', e),
    kill: () => child.kill('SIGKILL'),
    close: async () => {
      await call('close').catch(() => undefined);
      child.kill();
    },
  };
}

/**
 * Load: simulated clients replicating live against the embedded server while one writer changes
 * tickets at 20 updates a second. Each simulated client speaks the console's own replication
 * protocol (see couch-replication.ts): its own session cookie, a long-poll `_changes` per
 * database (tickets, activity, directory) used as a signal, then a checkpointed pull with
 * `include_docs`. Measured: the time from a write being sent to each client pulling it (p50,
 * p95), every error, every update a client never saw, engine restarts and the engine's memory.
 */
import { readFileSync } from 'node:fs';
import makeFetchCookie from 'fetch-cookie';
import { PREFIX, asUser, startTestDesk } from '../../support/desk-server';
import { percentile } from '../../bench/support/stats';
import type { ScenarioOptions, ScenarioResult } from '../types';

type Doc = Record<string, unknown>;
type Changes = { results: { id: string; doc?: Doc }[]; last_seq: string | number };

const USERS = ['alice', 'ben', 'sam', 'ada'] as const;
const DBS = ['tickets', 'activity', 'directory'] as const;
const RATE_PER_S = 20;
const MARK = /^load (\d+)$/;

/** Resident memory of a process in MB (Linux). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

type SimClient = { readonly stop: () => Promise<void> };

/** One simulated console: signs in, then follows every database live until stopped. */
async function simulatedClient(
  base: string,
  user: string,
  seen: (k: number, at: number) => void,
  error: (what: string) => void,
): Promise<SimClient> {
  const fetchJar = makeFetchCookie(fetch);
  const signIn = await fetchJar(`${base}_session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: user, password: 'switchboard' }),
  });
  if (!signIn.ok) throw new Error(`${user}: sign-in ${signIn.status}`);
  await signIn.arrayBuffer();
  const abort = new AbortController();
  let stopped = false;
  const get = async <T>(url: string): Promise<T> => {
    const r = await fetchJar(url, { signal: abort.signal });
    if (!r.ok) throw new Error(`${r.status} ${url.replace(base, '')}`);
    return (await r.json()) as T;
  };
  const follow = async (db: string) => {
    const url = `${base}${PREFIX}${db}/`;
    let since: string | number = (await get<{ update_seq: string | number }>(url)).update_seq;
    while (!stopped) {
      try {
        const signal = await get<Changes>(
          `${url}_changes?feed=longpoll&timeout=25000&limit=1&since=${encodeURIComponent(String(since))}`,
        );
        if (signal.results.length === 0) continue;
        // The pull: everything since the checkpoint, in batches.
        for (;;) {
          const batch = await get<Changes>(
            `${url}_changes?style=all_docs&include_docs=true&conflicts=true&since=${encodeURIComponent(String(since))}&limit=1000`,
          );
          const at = Date.now();
          for (const row of batch.results) {
            const d = row.doc?.description;
            const m = typeof d === 'string' ? MARK.exec(d) : null;
            if (m?.[1]) seen(Number(m[1]), at);
          }
          since = batch.last_seq;
          if (batch.results.length < 1000) break;
        }
      } catch (err) {
        if (stopped) return;
        error(`${user}/${db}: ${err instanceof Error ? err.message : String(err)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const loops = DBS.map((db) => follow(db));
  return {
    stop: async () => {
      stopped = true;
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}

export async function load(o: ScenarioOptions): Promise<ScenarioResult> {
  const clientCount = o.quick ? 10 : 50;
  const seconds = o.quick ? 15 : 120;
  const desk = await startTestDesk({ tickets: 500 });
  const base = desk.url.replace(/\/+$/, '') + '/';
  const problems: string[] = [];
  const errors: string[] = [];
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const seenBy: Set<number>[] = [];
  const clients: SimClient[] = [];
  const memory: number[] = [];
  const pid = () => desk.server.enginePid();
  const sampler = setInterval(() => memory.push(rssMb(pid())), 2000);
  try {
    const all = await desk.admin.request<{ rows: { id: string; doc: Doc }[] }>(
      'GET',
      `/${PREFIX}tickets/_all_docs?include_docs=true`,
    );
    const targets = all.rows
      .filter((r) => !r.id.startsWith('_design/') && r.doc.state !== 'closed')
      .slice(0, 200)
      .map((r) => r.doc);
    if (targets.length < 50) throw new Error(`only ${targets.length} tickets to write`);

    for (let i = 0; i < clientCount; i++) {
      const mine = new Set<number>();
      seenBy.push(mine);
      clients.push(
        await simulatedClient(
          base,
          USERS[i % USERS.length]!,
          (k, at) => {
            if (mine.has(k)) return;
            mine.add(k);
            const sent = sentAt.get(k);
            if (sent !== undefined) latencies.push(at - sent);
          },
          (e) => errors.push(e),
        ),
      );
    }
    memory.push(rssMb(pid()));
    const rssStart = memory[memory.length - 1]!;

    // The writer: one supervisor, RATE_PER_S updates a second on a fixed schedule.
    const writer = asUser(desk, 'sam');
    const writes = seconds * RATE_PER_S;
    const t0 = Date.now();
    let behind = 0;
    // Writes go out on schedule without waiting for the previous answer (each goes to another
    // ticket; the same ticket comes round again only after targets.length writes).
    const inFlight: Promise<void>[] = [];
    const write = async (k: number) => {
      const doc = targets[k % targets.length]!;
      const { _id, ...body } = doc;
      sentAt.set(k, Date.now());
      const r = await writer.tryRequest('PUT', `/${PREFIX}tickets/${String(_id)}`, {
        ...body,
        description: `load ${k}`,
        updatedAt: new Date().toISOString(),
        updatedBy: 'sam',
      });
      const rev = (r.body as { rev?: string } | null)?.rev;
      if (r.status !== 201 || !rev) errors.push(`write ${k}: ${r.status}`);
      else doc._rev = rev;
    };
    for (let k = 0; k < writes; k++) {
      const due = t0 + (k * 1000) / RATE_PER_S;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else if (wait < -1000) behind += 1;
      inFlight.push(write(k));
    }
    await Promise.all(inFlight);
    const writeSeconds = (Date.now() - t0) / 1000;

    // Every client must see every write (a later write to the same ticket also counts as seen
    // only if the earlier one was pulled before it was replaced: ticket k is rewritten after
    // targets.length / RATE_PER_S seconds, far beyond the target).
    // Judged: within 15 s of the last write. Reported only: as long as deliveries keep coming
    // (a minute without one ends the wait; what is still missing then is lost).
    const judge = o.timing !== 'report';
    const delivered = () => seenBy.reduce((n, s) => n + s.size, 0);
    const deadline = Date.now() + 15_000;
    let lastCount = delivered();
    let lastProgress = Date.now();
    while (seenBy.some((s) => s.size < writes)) {
      if (judge ? Date.now() > deadline : Date.now() - lastProgress > 60_000) break;
      await new Promise((r) => setTimeout(r, 250));
      if (delivered() > lastCount) [lastCount, lastProgress] = [delivered(), Date.now()];
    }
    const missing = seenBy.reduce((n, s) => n + (writes - s.size), 0);
    const rssEnd = rssMb(pid());
    const rssPeak = Math.max(...memory, rssEnd);

    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    // Always failures: errors, lost updates, a restarted engine.
    if (errors.length > 0) problems.push(`${errors.length} errors, first: ${errors[0]}`);
    if (missing > 0) problems.push(`${missing} updates never reached a client`);
    if (desk.server.engineRestarts() > 0)
      problems.push(`the engine restarted ${desk.server.engineRestarts()} times`);
    // Performance targets: failures when judged, notes otherwise.
    const missed: string[] = [];
    if (p95 >= 1000) missed.push(`p95 propagation ${p95.toFixed(0)} ms (target < 1000 ms)`);
    if (behind > writes * 0.05) missed.push(`the writer fell behind on ${behind} writes`);
    // Bounded: no steady growth beyond warm-up (caches, open connections), and no blow-up.
    const warm = memory[Math.floor(memory.length / 4)] ?? rssStart;
    if (rssEnd > Math.max(warm * 1.5, warm + 150) || rssPeak > 1500)
      missed.push(`engine memory grew: ${warm.toFixed(0)} → ${rssEnd.toFixed(0)} MB`);
    if (judge) problems.push(...missed);
    return {
      scenario: 'load',
      iterations: writes,
      failures: problems.length,
      lost: missing,
      duplicated: 0,
      seeds: [o.seed],
      notes: [
        `${clientCount} clients × ${DBS.length} live feeds, ${writes} writes at ${RATE_PER_S}/s in ${writeSeconds.toFixed(0)} s`,
        `propagation p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (${latencies.length} deliveries)`,
        `engine RSS ${rssStart.toFixed(0)} → peak ${rssPeak.toFixed(0)} → end ${rssEnd.toFixed(0)} MB`,
        ...problems,
        ...(judge ? [] : missed.map((t) => `missed target (reported, not judged): ${t}`)),
      ],
    };
  } finally {
    clearInterval(sampler);
    await Promise.allSettled(clients.map((c) => c.stop()));
    await desk.stop();
  }
}

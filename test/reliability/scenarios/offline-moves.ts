/**
 * Random valid offline move sequences on every kind (seeded), across app restarts (a reload:
 * the workspace closed and opened again on the same local data), then one sync: the server must
 * accept every collapsed push (0 refused), end in the state the device reached, and hold every
 * step in the activity exactly once (0 lost, 0 doubled). The device is the product's data layer
 * in Node (node-client.ts) against the real embedded server, signed in as a supervisor, who may
 * move tickets of every kind. A second phase does the same in Chromium through the field view:
 * a technician takes work orders from assigned to travelling, on site or work done offline, and
 * the whole browser is killed (`kill -9`, the profile survives) at a random point after going
 * back online; after the restart the server has each work order in the state the technician
 * left it, every step once, nothing refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  asUser,
  PREFIX,
  startTestDesk,
  startTestWeb,
  type TestDesk,
} from '../../support/desk-server';
import { launchKillableBrowser, type KillableBrowser } from '../../support/killable-browser';
import { signInAs, waitForSyncState } from '../../support/console-page';
import { startNodeClient } from '../../support/node-client';
import { eventually } from '../../support/eventually';
import { serverDocs } from '../../support/replica-checks';
import { createRng, type Rng } from '../../../server/src/provision/random';
import { createTicket, getTicket, moveTicket } from '../../../renderer/src/data/tickets-repo';
import {
  allowedTransitions,
  createTicket as domainCreateTicket,
  isFinalState,
  newTicketNumber,
  transition,
  TICKET_KINDS,
  type TransitionInput,
} from '../../../shared/domain';
import type { ScenarioOptions, ScenarioResult } from '../types';

type Doc = Record<string, unknown>;

const INPUT: TransitionInput = {
  onHoldReason: 'awaiting-vendor',
  resolution: { code: 'fixed', notes: 'Done offline.' },
};

async function dataLayerPhase(o: ScenarioOptions): Promise<ScenarioResult> {
  const rng = createRng(o.seed);
  const perKind = o.quick ? 2 : 6;
  const rounds = o.quick ? 2 : 5;
  const desk = await startTestDesk({ tickets: o.quick ? 150 : 600 });
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  const client = await startNodeClient(desk, 'sam');
  try {
    const server0 = await serverDocs(desk, 'tickets');
    const picked: string[] = [];
    for (const kind of TICKET_KINDS) {
      const open = [...server0.entries()]
        .filter(([, t]) => t.kind === kind && !isFinalState(kind, String(t.state)))
        .map(([n]) => n);
      for (let i = 0; i < perKind && open.length > 0; i++)
        picked.push(open.splice(rng.int(0, open.length - 1), 1)[0]!);
    }
    // And one new ticket of each kind, made on the device: every kind is in the run.
    for (const kind of TICKET_KINDS) {
      const t = await createTicket(
        client.ws.db,
        kind,
        {
          title: `Offline moves ${kind} ${o.seed}`,
          description: '',
          requesterId: 'person:caller-0001',
          ciId: null,
          category: 'hardware',
          impact: 2,
          urgency: 2,
          groupId: 'group:service-desk',
          assigneeId: 'sam',
        },
        'sam',
      );
      picked.push(t.number);
    }
    await client.settled(60_000);
    await eventually(async () => {
      for (const n of picked)
        if ((await getTicket(client.ws.db, n)) === null) throw new Error(`${n} not pulled yet`);
    });
    const since = new Date().toISOString();

    // Offline: rounds of 1 to 3 random valid moves per ticket, the app restarted after each.
    client.setOnline(false);
    const steps = new Map<string, string[]>(picked.map((n) => [n, []]));
    const kinds = new Set<string>();
    for (let r = 0; r < rounds; r++) {
      for (const n of picked) {
        for (let k = rng.int(1, 3); k > 0; k--) {
          const t = (await getTicket(client.ws.db, n))!;
          const moves = allowedTransitions(t);
          if (moves.length === 0) break;
          const to = rng.pick(moves).to;
          await moveTicket(client.ws.db, n, to, INPUT, 'sam');
          steps.get(n)!.push(`${t.state}→${to}`);
          kinds.add(t.kind);
        }
      }
      await client.restart();
    }
    const expected = new Map<string, string>();
    for (const n of picked) expected.set(n, (await getTicket(client.ws.db, n))!.state);

    // Back online: everything goes up.
    client.setOnline(true);
    client.ws.sync.syncNow();
    await client.settled(120_000);
    const refused = await client.ws.db.rejections.find().exec();
    for (const r of refused)
      problems.push(`refused ${String(r.get('docId'))}: ${String(r.get('reason'))}`);

    const tickets = await serverDocs(desk, 'tickets');
    const activity = [...(await serverDocs(desk, 'activity')).values()].filter(
      (a) => a.type === 'state-change' && a.by === 'sam' && String(a.at) >= since,
    );
    let made = 0;
    for (const n of picked) {
      if (tickets.get(n)?.state !== expected.get(n)) {
        lost += 1;
        problems.push(`${n}: server ${String(tickets.get(n)?.state)}, device ${expected.get(n)}`);
      }
      const want = steps.get(n)!;
      made += want.length;
      const have = activity
        .filter((a) => a.ticketNumber === n)
        .map((a) => `${String((a.data as Doc).from)}→${String((a.data as Doc).to)}`);
      const left = [...have];
      for (const s of want) {
        const i = left.indexOf(s);
        if (i === -1) lost += 1;
        else left.splice(i, 1);
      }
      duplicated += left.length;
    }
    // The server has what the device has: each picked ticket's document.
    for (const n of picked) {
      const mine = await getTicket(client.ws.db, n);
      const theirs = await desk.admin.request<Doc>('GET', `/${PREFIX}tickets/${n}`);
      if (mine?.updatedAt !== theirs.updatedAt) problems.push(`${n}: replica and server differ`);
    }
    return {
      scenario: 'offline-moves',
      iterations: rounds * picked.length,
      failures: problems.length,
      lost,
      duplicated,
      seeds: [o.seed],
      notes: [
        `${made} offline moves on ${picked.length} tickets of ${kinds.size} kinds, ${rounds} restarts; ${refused.length} refused`,
        ...problems.slice(0, 10),
      ],
    };
  } finally {
    await client.close();
    await desk.stop();
  }
}

/** A work order assigned to tara, written by the dispatcher. */
async function assignedWorkOrder(desk: TestDesk, title: string): Promise<string> {
  const now = new Date(Date.now() - 3600_000).toISOString();
  const number = newTicketNumber('workorder', {
    now: Date.now() - 3600_000,
    deviceId: 'reliability-moves',
    random: Math.random,
  });
  const r = domainCreateTicket(
    {
      kind: 'workorder',
      title,
      description: '',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'hardware',
      impact: 3,
      urgency: 3,
      groupId: 'group:field',
      assigneeId: 'tara',
    },
    { now, actor: 'sam', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  const a = transition(r.value, 'assigned', {}, { now, actor: 'sam' });
  if (!a.ok) throw new Error(a.error.message);
  const { number: id, ...body } = {
    ...a.ticket,
    workorder: { fieldStatus: 'scheduled', site: 'HQ', contactId: null, scheduledFor: null },
  };
  await asUser(desk, 'sam').request('PUT', `/${PREFIX}tickets/${id}`, body);
  return id;
}

const FIELD_STEPS = [
  ['Travelling', 'travelling', 'Travelling'],
  ['On site', 'on-site', 'On site'],
  ['Work done', 'work-done', 'Work done'],
] as const;

async function browserPhase(o: ScenarioOptions, rng: Rng): Promise<ScenarioResult> {
  const rounds = o.quick ? 1 : 4;
  const desk = await startTestDesk({ tickets: 20 });
  const web = await startTestWeb(desk);
  const dir = mkdtempSync(join(tmpdir(), 'sb-moves-'));
  const problems: string[] = [];
  const kills: number[] = [];
  let lost = 0;
  let duplicated = 0;
  const reached = new Map<string, number>();
  let b: KillableBrowser | undefined;
  const start = async (): Promise<Page> => {
    b = await launchKillableBrowser(dir);
    const page = await b.context.newPage();
    await signInAs(page, web.url, 'tara');
    return page;
  };
  try {
    let page = await start();
    for (let r = 0; r < rounds; r++) {
      const numbers = [
        await assignedWorkOrder(desk, `Round ${r} first`),
        await assignedWorkOrder(desk, `Round ${r} second`),
      ];
      await waitForSyncState(page, 'in-sync', 120_000);
      for (const n of numbers)
        await page.locator(`[data-testid="work-order-row"][data-number="${n}"]`).waitFor();
      await page.getByRole('button', { name: 'Work offline' }).click();
      await waitForSyncState(page, 'offline');
      for (const n of numbers) {
        await page.locator(`[data-testid="work-order-row"][data-number="${n}"]`).click();
        const wo = page.locator(`[data-testid="work-order"][data-number="${n}"]`);
        await wo.waitFor();
        const upTo = rng.int(0, FIELD_STEPS.length - 1);
        for (let i = 0; i <= upTo; i++) {
          const [button, , label] = FIELD_STEPS[i]!;
          await wo.getByRole('button', { name: button }).click();
          await wo.getByTestId('wo-field-status').filter({ hasText: label }).waitFor();
        }
        if (upTo === 2) await wo.getByTestId('wo-state').filter({ hasText: 'completed' }).waitFor();
        reached.set(n, upTo);
      }
      const at = rng.int(0, 1500);
      kills.push(at);
      await page.getByRole('button', { name: 'Work offline' }).click(); // online again
      await new Promise((ok) => setTimeout(ok, at));
      await b!.kill();
      page = await start();
    }
    try {
      await waitForSyncState(page, 'in-sync', 120_000);
      await eventually(
        async () => {
          if ((await page.getByTestId('refused-alert').count()) > 0)
            throw new Error('a change was refused');
          const tickets = await serverDocs(desk, 'tickets');
          for (const [n, upTo] of reached) {
            const t = tickets.get(n);
            const want = [upTo === 2 ? 'completed' : 'in-progress', FIELD_STEPS[upTo]![1]];
            const have = [t?.state, (t?.workorder as Doc | undefined)?.fieldStatus];
            if (have.join() !== want.join())
              throw new Error(`${n}: ${have.join()} != ${want.join()}`);
          }
        },
        { timeoutMs: 120_000, intervalMs: 1000 },
      );
    } catch (err) {
      problems.push(String(err));
    }
    if ((await page.getByTestId('refused-alert').count()) > 0) problems.push('refused');
    const activity = [...(await serverDocs(desk, 'activity')).values()];
    for (const [n, upTo] of reached) {
      const mine = activity.filter((a) => a.ticketNumber === n);
      const steps = mine
        .filter((a) => a.type === 'state-change')
        .map((a) => `${String((a.data as Doc).from)}→${String((a.data as Doc).to)}`);
      const want =
        upTo === 2 ? ['assigned→in-progress', 'in-progress→completed'] : ['assigned→in-progress'];
      for (const s of want) if (!steps.includes(s)) lost += 1;
      duplicated += Math.max(0, steps.length - want.length);
      const statuses = mine.filter(
        (a) => a.type === 'field-change' && (a.data as Doc).field === 'workorder.fieldStatus',
      ).length;
      if (statuses < upTo + 1) lost += upTo + 1 - statuses;
      if (statuses > upTo + 1) duplicated += statuses - upTo - 1;
    }
    return {
      scenario: 'offline-moves',
      iterations: rounds,
      failures: problems.length,
      lost,
      duplicated,
      seeds: [o.seed],
      notes: [
        `browser: ${reached.size} work orders moved offline in the field view, kills ${kills.join(',')} ms after going online`,
        ...problems,
      ],
    };
  } finally {
    await b?.close().catch(() => undefined);
    await web.close();
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function offlineMoves(o: ScenarioOptions): Promise<ScenarioResult> {
  const data = await dataLayerPhase(o);
  const browser = await browserPhase(o, createRng(o.seed + 1));
  return {
    scenario: 'offline-moves',
    iterations: data.iterations + browser.iterations,
    failures: data.failures + browser.failures,
    lost: data.lost + browser.lost,
    duplicated: data.duplicated + browser.duplicated,
    seeds: [o.seed],
    notes: [...data.notes, ...browser.notes],
  };
}

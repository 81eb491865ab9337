/**
 * `kill -9` of the whole browser at random points (seeded) during a cold sync and during an
 * offline push, in Debian's Chromium on a profile that survives the kill. After each restart the
 * console signs in again and the replica must converge exactly to the server (the same ids with
 * the same content), and every edit made offline must be on the server exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PREFIX, startTestDesk, startTestWeb, type TestDesk } from '../../support/desk-server';
import { launchKillableBrowser, type KillableBrowser } from '../../support/killable-browser';
import { signInAs, waitForSyncState } from '../../support/console-page';
import { eventually } from '../../support/eventually';
import { serverDocs } from '../../support/replica-checks';
import { expectConverged } from '../../support/browser-replica';
import { createRng, type Rng } from '../../../server/src/provision/random';
import type { ScenarioOptions, ScenarioResult } from '../types';

type Doc = Record<string, unknown>;

async function start(profile: string, url: string): Promise<{ b: KillableBrowser; page: Page }> {
  const b = await launchKillableBrowser(profile);
  const page = await b.context.newPage();
  await signInAs(page, url, 'alice');
  return { b, page };
}

/** A few server-side edits, so a restarted client has something new to catch up on. */
async function serverEdits(desk: TestDesk, rng: Rng, open: readonly string[], tag: string) {
  for (let k = 0; k < 3; k++) {
    const n = rng.pick(open);
    const t = await desk.admin.request<Doc>('GET', `/${PREFIX}tickets/${n}`);
    await desk.admin.request('PUT', `/${PREFIX}tickets/${n}`, {
      ...t,
      description: `server edit ${tag}.${k}`,
      updatedAt: new Date().toISOString(),
      updatedBy: 'ben',
    });
  }
}

export async function browserKill(o: ScenarioOptions): Promise<ScenarioResult> {
  const rng = createRng(o.seed);
  const iterations = o.quick ? 2 : 20;
  const desk = await startTestDesk({ tickets: o.quick ? 300 : 1500 });
  const web = await startTestWeb(desk);
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  const profiles: string[] = [];
  const profile = () => {
    const p = mkdtempSync(join(tmpdir(), 'sb-kill-'));
    profiles.push(p);
    return p;
  };
  try {
    const server0 = await serverDocs(desk, 'tickets');
    const open = [...server0.entries()]
      .filter(([, t]) => t.kind === 'incident' && t.state === 'in-progress')
      .map(([n]) => n);

    // How long an uninterrupted cold sync takes here: kills land anywhere within it.
    const probe = profile();
    const t0 = Date.now();
    const first = await start(probe, web.url);
    await waitForSyncState(first.page, 'in-sync', 120_000);
    const coldMs = Date.now() - t0;
    await first.b.close();

    // 1. Cold sync, killed at a random point, then restarted until it converges.
    const killsAt: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const dir = profile();
      const at = rng.int(0, coldMs);
      killsAt.push(at);
      const run = await launchKillableBrowser(dir);
      const page = await run.context.newPage();
      const t = Date.now();
      await signInAs(page, web.url, 'alice');
      await new Promise((r) => setTimeout(r, Math.max(0, at - (Date.now() - t))));
      await run.kill();
      await serverEdits(desk, rng, open, `cold ${i}`);
      const again = await start(dir, web.url);
      try {
        await eventually(() => expectConverged(desk, again.page), {
          timeoutMs: 120_000,
          intervalMs: 1_000,
        });
      } catch (err) {
        problems.push(`cold sync ${i} (killed at ${at} ms): ${String(err)}`);
      }
      await again.b.close();
    }

    // 2. Offline push: notes and assignments made offline; the browser is killed at a random
    // point after going back online; after a restart each is on the server exactly once.
    const dir = profile();
    let { b, page } = await start(dir, web.url);
    await waitForSyncState(page, 'in-sync', 120_000);
    const notes: string[] = [];
    const assigned = new Set<string>();
    const pushKills: number[] = [];
    for (let i = 0; i < iterations; i++) {
      await page.getByRole('button', { name: 'Work offline' }).click();
      await waitForSyncState(page, 'offline');
      for (let k = 0; k < 3; k++) {
        const n = rng.pick(open);
        await page.keyboard.press('Control+k');
        await page.getByRole('combobox').fill(n);
        await page.getByTestId('palette-item').filter({ hasText: n }).first().waitFor();
        await page.keyboard.press('Enter');
        const panel = page.locator(`[data-testid="ticket-panel"][data-number="${n}"]`);
        await panel.waitFor();
        const body = `offline note ${o.seed}.${i}.${k}`;
        await page.keyboard.press('n');
        await page.keyboard.type(body);
        await page.keyboard.press('Control+Enter');
        await panel.getByTestId('activity-entry').filter({ hasText: body }).waitFor();
        notes.push(body);
        await page.keyboard.press('Escape');
        if (k === 0 && !assigned.has(n)) {
          await page.keyboard.press('a');
          assigned.add(n);
        }
      }
      const at = rng.int(0, 1500);
      pushKills.push(at);
      await page.getByRole('button', { name: 'Work offline' }).click(); // pressed again: online
      await new Promise((r) => setTimeout(r, at));
      await b.kill();
      ({ b, page } = await start(dir, web.url));
      try {
        await waitForSyncState(page, 'in-sync', 120_000);
        await eventually(() => expectConverged(desk, page), {
          timeoutMs: 120_000,
          intervalMs: 1_000,
        });
      } catch (err) {
        problems.push(`offline push ${i} (killed at ${at} ms): ${String(err)}`);
      }
    }
    const activity = [...(await serverDocs(desk, 'activity')).values()];
    for (const body of notes) {
      const found = activity.filter((a) => a.body === body).length;
      if (found === 0) lost += 1;
      if (found > 1) duplicated += 1;
    }
    const tickets = await serverDocs(desk, 'tickets');
    for (const n of assigned) if (tickets.get(n)?.assigneeId !== 'alice') lost += 1;
    await b.close();
    return {
      scenario: 'browser-kill',
      iterations: iterations * 2,
      failures: problems.length,
      lost,
      duplicated,
      seeds: [o.seed],
      notes: [
        `cold sync of ${server0.size} tickets ≈ ${coldMs} ms; kills at ${killsAt.join(',')} ms`,
        `offline push: ${notes.length} notes, ${assigned.size} assignments; kills ${pushKills.join(',')} ms after going online`,
        ...problems,
      ],
    };
  } finally {
    await web.close();
    await desk.stop();
    for (const p of profiles) rmSync(p, { recursive: true, force: true });
  }
}

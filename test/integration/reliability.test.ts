/**
 * The short version of `npm run test:reliability`, inside `npm test`: every scenario once, small,
 * against the real embedded server, with a fixed seed (the same run every time, so a failure
 * replays; `SWITCHBOARD_SEED` picks another) and timings reported, not judged (`timing:
 * 'report'`): `npm test` fails on what is lost, missed or an error, never on a wall-clock figure.
 * The full run (`npm run test:reliability`) draws and prints a random seed and judges the targets.
 */
import { describe, expect, it } from 'vitest';
import { conflictStorm } from '../reliability/scenarios/conflict-storm';
import { roleMatrix } from '../reliability/scenarios/role-matrix';
import { networkChaos } from '../reliability/scenarios/network-chaos';
import { serverKill } from '../reliability/scenarios/server-kill';
import { hostileDocuments } from '../reliability/scenarios/hostile-documents';
import { browserKill } from '../reliability/scenarios/browser-kill';
import { load } from '../reliability/scenarios/load';
import { httpFuzz } from '../reliability/scenarios/http-fuzz';
import { offlineMoves } from '../reliability/scenarios/offline-moves';
import { mailReliability } from '../reliability/scenarios/mail';

const seed = Number(process.env.SWITCHBOARD_SEED ?? 29_029);
const timing = 'report' as const;
/** The HTTP fuzz runs with a fixed seed in npm test, so a failure is the same failure each run. */
const FUZZ_SEED = Number(process.env.SWITCHBOARD_FUZZ_SEED ?? 21);

describe(`reliability (quick, seed ${seed})`, () => {
  it(`HTTP fuzz of the front door (seed ${FUZZ_SEED}): nothing unauthorized, no restart, no stall`, async () => {
    const r = await httpFuzz({ seed: FUZZ_SEED, quick: true });
    console.log(JSON.stringify(r));
    expect(r.notes.filter((x) => x.startsWith('#') || x.includes('changed'))).toEqual([]);
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('conflict storm: converges, nothing lost or duplicated', async () => {
    const r = await conflictStorm({ seed, quick: true, timing });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('role × operation matrix: every forbidden cell refused', async () => {
    const r = await roleMatrix({ seed, quick: true, timing });
    expect(r.notes.filter((x) => x.includes('expected'))).toEqual([]);
    expect(r.failures).toBe(0);
  }, 120_000);

  it('network chaos (drops, stalls, truncation): converges, nothing lost or duplicated', async () => {
    const r = await networkChaos({ seed, quick: true, timing });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('kill -9 of the engine during live replication: recovers and converges', async () => {
    const r = await serverKill({ seed, quick: true, timing });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('hostile documents from the server (fuzzed): valid ones kept, the rest quarantined', async () => {
    const r = await hostileDocuments({ seed, quick: true, timing });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('kill -9 of the browser during cold sync and offline push: converges, nothing lost', async () => {
    const r = await browserKill({ seed, quick: true, timing });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 600_000);

  it('load: live clients and a writer at 20 updates/s, every update delivered, no errors', async () => {
    const r = await load({ seed, quick: true, timing });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  // A fixed seed: the same offline move sequences on every run (the full run takes a new one).
  it('random valid offline moves on every kind across restarts and a browser kill: 0 refused, 0 lost', async () => {
    const r = await offlineMoves({ seed: 20_2026, quick: true });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
    expect(r.notes[0]).toMatch(/of 5 kinds/);
  }, 300_000);

  it('mail: services killed mid-receive and mid-send, two instances, SMTP stalling and refusing: nothing lost or sent twice', async () => {
    const r = await mailReliability({ seed: 24_024, quick: true });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);
});

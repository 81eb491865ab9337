/**
 * The short version of `npm run test:reliability`, inside `npm test`: every scenario once, small,
 * seeded (the seed is printed), against the real embedded server.
 */
import { describe, expect, it } from 'vitest';
import { conflictStorm } from '../reliability/scenarios/conflict-storm';
import { roleMatrix } from '../reliability/scenarios/role-matrix';
import { networkChaos } from '../reliability/scenarios/network-chaos';
import { serverKill } from '../reliability/scenarios/server-kill';
import { hostileDocuments } from '../reliability/scenarios/hostile-documents';
import { browserKill } from '../reliability/scenarios/browser-kill';
import { load } from '../reliability/scenarios/load';
import { mailReliability } from '../reliability/scenarios/mail';

const seed = Number(process.env.SWITCHBOARD_SEED ?? Date.now() % 100_000);

describe(`reliability (quick, seed ${seed})`, () => {
  it('conflict storm: converges, nothing lost or duplicated', async () => {
    const r = await conflictStorm({ seed, quick: true });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('role × operation matrix: every forbidden cell refused', async () => {
    const r = await roleMatrix({ seed, quick: true });
    expect(r.notes.filter((x) => x.includes('expected'))).toEqual([]);
    expect(r.failures).toBe(0);
  }, 120_000);

  it('network chaos (drops, stalls, truncation): converges, nothing lost or duplicated', async () => {
    const r = await networkChaos({ seed, quick: true });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('kill -9 of the engine during live replication: recovers and converges', async () => {
    const r = await serverKill({ seed, quick: true });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('hostile documents from the server (fuzzed): valid ones kept, the rest quarantined', async () => {
    const r = await hostileDocuments({ seed, quick: true });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('kill -9 of the browser during cold sync and offline push: converges, nothing lost', async () => {
    const r = await browserKill({ seed, quick: true });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 600_000);

  it('load: live clients and a writer at 20 updates/s, p95 under 1 s, no errors', async () => {
    const r = await load({ seed, quick: true });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);

  it('mail: services killed mid-receive and mid-send, two instances, SMTP stalling and refusing: nothing lost or sent twice', async () => {
    const r = await mailReliability({ seed: 24_024, quick: true });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ failures: 0, lost: 0, duplicated: 0 });
  }, 300_000);
});

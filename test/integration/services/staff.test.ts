/**
 * Staff administration through desk services, on the real server: an admin files requests in
 * the services database; desk services (the only holder of _users credentials) creates the
 * account, changes its roles, resets its password and disables it (its cookie session ends);
 * each is audited. Agents cannot file requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  startTestDesk,
  PREFIX,
  TEST_ADMIN,
  type TestDesk,
} from '../../support/desk-server';
import { eventually } from '../../support/eventually';
import { servicesConfigFor } from '../../support/mail';
import { startDeskServices, type DeskServices } from '../../../server/src/services';
import makeFetchCookie from 'fetch-cookie';
import {
  changeOwnPassword,
  currentSession,
  mustChangePassword,
  signIn,
} from '../../../renderer/src/data/session';
import type { Fetch } from '../../../renderer/src/data/couch-http';

describe('staff administration through desk services', () => {
  let desk: TestDesk;
  let services: DeskServices;
  let n = 0;

  beforeAll(async () => {
    desk = await startTestDesk({ tickets: 1 });
    services = await startDeskServices(
      servicesConfigFor(desk, undefined, {
        inboundPort: -1,
        usersAdmin: { user: TEST_ADMIN.user, password: TEST_ADMIN.password },
      }),
    );
    // The worker follows requests from when it first started: wait for its checkpoint.
    await eventually(() => desk.admin.request('GET', `/${PREFIX}services/checkpoint:staff`));
  });
  afterAll(async () => {
    await services?.stop();
    await desk?.stop();
  });

  const ask = async (body: Record<string, unknown>) => {
    const id = `t${++n}`;
    await asUser(desk, 'ada').request('PUT', `/${PREFIX}services/staff-request:${id}`, {
      by: 'ada',
      at: new Date().toISOString(),
      ...body,
    });
    return eventually(async () => {
      const r = await desk.admin.request<{
        state: string;
        temporaryPassword?: string;
        reason?: string;
      }>('GET', `/${PREFIX}services/staff-result:${id}`);
      if (r.state === 'working') throw new Error('working');
      return { ...r, id };
    });
  };
  const session = async (auth: Record<string, string>) => {
    const body = (await (await fetch(`${desk.url}/_session`, { headers: auth })).json()) as {
      userCtx?: { name: string | null; roles: string[] };
    };
    // A refused login answers 401 with no user context: nobody is signed in.
    return body.userCtx ?? { name: null, roles: [] };
  };
  const basic = (name: string, pw: string) => ({
    authorization: 'Basic ' + Buffer.from(`${name}:${pw}`).toString('base64'),
  });

  it('creates an account, changes its roles, resets its password, disables it; all audited', async () => {
    const created = await ask({
      action: 'create',
      name: 'zoe',
      fullName: 'Zoe Park',
      roles: ['agent'],
    });
    expect(created.state).toBe('done');
    const pw = created.temporaryPassword!;
    expect(await session(basic('zoe', pw))).toEqual({ name: 'zoe', roles: ['agent'] });
    expect((await ask({ action: 'create', name: 'zoe', roles: [] })).reason).toMatch(
      /already has an account/,
    );

    expect(
      (await ask({ action: 'set-roles', name: 'zoe', roles: ['agent', 'supervisor'] })).state,
    ).toBe('done');
    expect((await session(basic('zoe', pw))).roles).toEqual(['agent', 'supervisor']);
    expect((await ask({ action: 'set-roles', name: 'zoe', roles: ['_admin'] })).reason).toMatch(
      /Roles are/,
    );

    const reset = await ask({ action: 'reset-password', name: 'zoe' });
    const pw2 = reset.temporaryPassword!;
    expect(pw2).not.toBe(pw);
    expect((await session(basic('zoe', pw))).name).toBeNull();
    expect((await session(basic('zoe', pw2))).name).toBe('zoe');

    // A cookie session, then disable: the session ends.
    const login = await fetch(`${desk.url}/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'zoe', password: pw2 }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await session({ cookie })).name).toBe('zoe');
    expect((await ask({ action: 'disable', name: 'zoe' })).state).toBe('done');
    expect((await session({ cookie })).name).toBeNull();
    expect((await session(basic('zoe', pw2))).name).toBeNull();

    const audit = await desk.admin.request<{ rows: { doc: Record<string, unknown> }[] }>(
      'GET',
      `/${PREFIX}services/_all_docs?include_docs=true&startkey="audit:"&endkey="audit:\ufff0"`,
    );
    expect(
      audit.rows.map((r) => [r.doc.action, r.doc.name, r.doc.requestedBy, r.doc.outcome]),
    ).toEqual([
      ['create', 'zoe', 'ada', 'done'],
      ['create', 'zoe', 'ada', 'failed'],
      ['set-roles', 'zoe', 'ada', 'done'],
      ['set-roles', 'zoe', 'ada', 'failed'],
      ['reset-password', 'zoe', 'ada', 'done'],
      ['disable', 'zoe', 'ada', 'done'],
    ]);
  });

  it('sets assignment groups in the directory, changing nothing else; audited', async () => {
    const dir = (id: string) =>
      desk.admin.request<Record<string, unknown> & { _id: string; _rev: string }>(
        'GET',
        `/${PREFIX}directory/${encodeURIComponent(id)}`,
      );
    // An existing staff member: only groupIds changes.
    const before = await dir('person:alice');
    const set = await ask({
      action: 'set-groups',
      name: 'alice',
      groupIds: ['group:network', 'group:desktop'],
    });
    expect(set.state).toBe('done');
    const after = await dir('person:alice');
    expect(after.groupIds).toEqual(['group:network', 'group:desktop']);
    const { _rev: r1, groupIds: g1, ...restBefore } = before;
    const { _rev: r2, groupIds: g2, ...restAfter } = after;
    expect(restAfter).toEqual(restBefore);
    expect([r1, g1]).not.toEqual([r2, g2]);

    // Unknown groups and malformed lists are refused before anything is written.
    expect(
      (await ask({ action: 'set-groups', name: 'alice', groupIds: ['group:nope'] })).reason,
    ).toMatch(/no group group:nope/);
    expect(
      (await ask({ action: 'set-groups', name: 'alice', groupIds: ['person:bob'] })).reason,
    ).toMatch(/starts with group:/);
    expect((await dir('person:alice'))._rev).toBe(after._rev);

    // A new account has no directory record yet: desk services creates the staff record.
    const created = await ask({ action: 'create', name: 'yan', fullName: 'Yan Li', roles: [] });
    expect(created.state).toBe('done');
    expect(
      (await ask({ action: 'set-groups', name: 'yan', groupIds: ['group:field'] })).state,
    ).toBe('done');
    const yan = await dir('person:yan');
    expect([yan.type, yan.name, yan.username, yan.staff, yan.groupIds]).toEqual([
      'person',
      'Yan Li',
      'yan',
      true,
      ['group:field'],
    ]);
    // Without an account, nothing is written.
    expect((await ask({ action: 'set-groups', name: 'nobody', groupIds: [] })).reason).toMatch(
      /no account/,
    );
    const audit = await desk.admin.request<{ rows: { doc: Record<string, unknown> }[] }>(
      'GET',
      `/${PREFIX}services/audit:${set.id}`,
    );
    expect(audit).toMatchObject({ action: 'set-groups', name: 'alice', requestedBy: 'ada' });
    expect((audit as unknown as { groupIds: string[] }).groupIds).toEqual([
      'group:network',
      'group:desktop',
    ]);
  });

  it('after a reset the person must set a new password; their own write sets it and clears the flag', async () => {
    const base = `${desk.url}/`;
    const created = await ask({
      action: 'create',
      name: 'kim',
      fullName: 'Kim Ito',
      roles: ['agent'],
    });
    const jarFetch = () => makeFetchCookie(fetch) as unknown as Fetch;
    const first = jarFetch();
    await signIn(base, 'kim', created.temporaryPassword!, first);
    expect(await mustChangePassword(base, 'kim', first)).toBe(true);
    const reset = await ask({ action: 'reset-password', name: 'kim' });
    const kim = jarFetch();
    await signIn(base, 'kim', reset.temporaryPassword!, kim);
    expect(await mustChangePassword(base, 'kim', kim)).toBe(true);
    // Another account's document is not theirs to read or write.
    await expect(mustChangePassword(base, 'alice', kim)).rejects.toThrow();

    const changed = await changeOwnPassword(base, 'kim', 'a new one, chosen by Kim', kim);
    expect(changed).toEqual({ name: 'kim', roles: ['agent'] });
    expect((await currentSession(base, kim))?.name).toBe('kim');
    expect(await mustChangePassword(base, 'kim', kim)).toBe(false);
    // The temporary password no longer works; the new one does; the roles are unchanged.
    expect((await session(basic('kim', reset.temporaryPassword!))).name).toBeNull();
    expect(await session(basic('kim', 'a new one, chosen by Kim'))).toEqual({
      name: 'kim',
      roles: ['agent'],
    });
    // A member's own write cannot change their roles (the gateway's userDocError).
    const own = (await (await kim(`${base}_users/org.couchdb.user:kim`)).json()) as object;
    const put = await kim(`${base}_users/org.couchdb.user:kim`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...own, roles: ['admin'] }),
    });
    expect(put.status).toBe(403);
  });

  it('takes requests from admins only, in their own name, and never for the service account', async () => {
    const alice = asUser(desk, 'alice');
    const r = await alice.tryRequest('PUT', `/${PREFIX}services/staff-request:x1`, {
      by: 'alice',
      action: 'create',
      name: 'eve',
      roles: ['admin'],
    });
    expect([401, 403]).toContain(r.status);
    const ada = asUser(desk, 'ada');
    expect(
      (
        await ada.tryRequest('PUT', `/${PREFIX}services/staff-request:x2`, {
          by: 'sam',
          action: 'create',
          name: 'eve',
        })
      ).status,
    ).toBe(403);
    expect((await ask({ action: 'disable', name: 'desk-services' })).reason).toMatch(
      /not managed here/,
    );
    expect((await ask({ action: 'disable', name: TEST_ADMIN.user })).reason).toMatch(
      /not managed here/,
    );
  });

  it('publishes the accounts for the Staff page (admins cannot read _users), without hashes', async () => {
    type Account = {
      name: string;
      roles: string[];
      disabled: boolean;
      mustChangePassword: boolean;
    };
    // After the cases above: zoe disabled, kim with her own password, alice untouched.
    const list = await eventually(async () => {
      const doc = await asUser(desk, 'ada').request<{ accounts: Account[] }>(
        'GET',
        `/${PREFIX}services/staff-accounts`,
      );
      const zoe = doc.accounts.find((a) => a.name === 'zoe');
      const kim = doc.accounts.find((a) => a.name === 'kim');
      if (!zoe?.disabled || kim?.mustChangePassword !== false) throw new Error('not yet');
      return doc;
    });
    const byName = new Map(list.accounts.map((a) => [a.name, a]));
    expect(byName.get('zoe')).toMatchObject({ disabled: true, roles: [] });
    expect(byName.get('kim')).toMatchObject({ roles: ['agent'], disabled: false });
    expect(byName.get('alice')).toMatchObject({ roles: ['agent'], disabled: false });
    expect(byName.has('desk-services')).toBe(false);
    expect(byName.has(TEST_ADMIN.user)).toBe(false);
    expect(JSON.stringify(list)).not.toMatch(/derived_key|salt|password_scheme|"password"/);
    // A new account shows up with the flag of its temporary password.
    expect((await ask({ action: 'create', name: 'lin', roles: ['technician'] })).state).toBe(
      'done',
    );
    const lin = await eventually(async () => {
      const doc = await desk.admin.request<{ accounts: Account[] }>(
        'GET',
        `/${PREFIX}services/staff-accounts`,
      );
      const a = doc.accounts.find((x) => x.name === 'lin');
      if (!a) throw new Error('not yet');
      return a;
    });
    expect(lin).toMatchObject({ roles: ['technician'], mustChangePassword: true, disabled: false });
    // Agents cannot read it.
    expect(
      (await asUser(desk, 'alice').tryRequest('GET', `/${PREFIX}services/staff-accounts`)).status,
    ).toBeGreaterThanOrEqual(401);
  });
});

/**
 * Sign-out against the real server: CouchDB renews the session cookie on every answer, so an
 * answer to a request made before signing out can bring the session back after the DELETE.
 * signOut checks and ends it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import makeFetchCookie from 'fetch-cookie';
import { PREFIX, startTestDesk, type TestDesk } from '../../support/desk-server';
import { currentSession, signIn, signOut } from '../../../renderer/src/data/session';
import type { Fetch } from '../../../renderer/src/data/couch-http';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({});
});
afterAll(async () => {
  await desk?.stop();
});

describe('sign-out', () => {
  it('holds when a late answer renews the session cookie after the DELETE', async () => {
    const base = `${desk.url}/`;
    const jar = new makeFetchCookie.toughCookie.CookieJar();
    const jarFetch = makeFetchCookie(fetch, jar) as unknown as Fetch;
    await signIn(base, 'alice', 'switchboard', jarFetch);
    expect((await currentSession(base, jarFetch))?.name).toBe('alice');

    // The answer to a request sent before signing out, with its renewed cookie.
    const late = await fetch(`${base}${PREFIX}tickets`, {
      headers: { cookie: await jar.getCookieString(base) },
    });
    const renewed = late.headers.get('set-cookie');
    expect(renewed).toMatch(/^AuthSession=/);
    let replayed = false;
    const racing: Fetch = async (url, init) => {
      const res = await jarFetch(url, init);
      if (!replayed && init?.method === 'DELETE') {
        replayed = true;
        await jar.setCookie(renewed!, base); // it lands just after the DELETE's answer
      }
      return res;
    };

    await signOut(base, racing);
    expect(replayed).toBe(true);
    expect(await currentSession(base, jarFetch)).toBeNull();
  });
});

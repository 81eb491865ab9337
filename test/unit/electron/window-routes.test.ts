import { describe, expect, it } from 'vitest';
import {
  parseWindowRoute,
  windowRouteHash,
  type WindowRoute,
} from '../../../shared/ipc/window-routes';

describe('window routes', () => {
  it('round-trips every view', () => {
    const routes: WindowRoute[] = [
      { view: 'console' },
      { view: 'wallboard' },
      { view: 'ticket', number: 'CHG-0000000000ZZ' },
    ];
    for (const r of routes) expect(parseWindowRoute(windowRouteHash(r))).toEqual(r);
  });

  it('reads anything unknown as the console', () => {
    for (const h of ['#/ticket/nope', '#/ticket/INC-1B2C3D4E5F6G/x', '#/admin', '#/wallboard/']) {
      expect(parseWindowRoute(h)).toEqual({ view: 'console' });
    }
  });
});

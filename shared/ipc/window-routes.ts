/**
 * The hash routes main opens windows at; the renderer reads them back with `parseWindowRoute` to
 * know which view a window shows (console, wallboard, one ticket).
 */
import { parseExternalRef } from '../import/external-ref';
import { parseTicketNumber } from '../domain/numbering';

/** What a window shows. */
export type WindowRoute =
  | { readonly view: 'console' }
  | { readonly view: 'wallboard' }
  | { readonly view: 'ticket'; readonly number: string };

/** The URL hash for a route (empty for the console). */
export function windowRouteHash(route: WindowRoute): string {
  switch (route.view) {
    case 'console':
      return '';
    case 'wallboard':
      return '#/wallboard';
    case 'ticket':
      return `#/ticket/${route.number}`;
  }
}

/** Reads a URL hash back; anything unknown is the console. */
export function parseWindowRoute(hash: string): WindowRoute {
  if (hash === '#/wallboard') return { view: 'wallboard' };
  const m = /^#\/ticket\/([A-Za-z0-9-]{1,40})$/.exec(hash);
  const parsed = m?.[1] === undefined ? undefined : parseTicketNumber(m[1]);
  if (parsed?.ok) return { view: 'ticket', number: parsed.number };
  const external = m?.[1] === undefined ? null : parseExternalRef(m[1]);
  return external ? { view: 'ticket', number: external.number } : { view: 'console' };
}

/**
 * Deep-link intake for the main process: finds links in a command line (Windows and Linux hand
 * them over as an argument, to the first instance or to a second one), accepts macOS `open-url`,
 * and holds links until the console's page can take them, so a link that starts the app is not lost.
 */
import {
  DEEP_LINK_SCHEME,
  formatDeepLink,
  parseDeepLink,
  type DeepLink,
} from '../../../shared/ipc/deep-link';
import type { Logger } from '../log';

const PREFIX = `${DEEP_LINK_SCHEME}:`;

/** True if a command-line argument claims to be one of our links (valid or not). */
export function looksLikeDeepLink(arg: string): boolean {
  return arg.slice(0, PREFIX.length).toLowerCase() === PREFIX;
}

/** The deep link in a command line: the last valid one; `refused` lists the ones that were not. */
export function deepLinkFromArgv(argv: readonly string[]): {
  readonly link: DeepLink | undefined;
  readonly refused: readonly string[];
} {
  let link: DeepLink | undefined;
  const refused: string[] = [];
  for (const arg of argv) {
    if (typeof arg !== 'string' || !looksLikeDeepLink(arg)) continue;
    const r = parseDeepLink(arg);
    if (r.ok) link = r.link;
    else refused.push(r.error);
  }
  return { link, refused };
}

/** Where accepted links go. */
export type DeepLinkSink = {
  /** Sends the canonical URL to the console page (`deeplink:opened`). */
  readonly deliver: (url: string) => void;
  /** Shows and focuses the console window. */
  readonly focus: () => void;
};

/** Accepts links from any source and delivers them once the console is ready. */
export type DeepLinkRouter = {
  /** A raw URL from `open-url` or a command line argument. Returns whether it was accepted. */
  readonly receive: (raw: unknown, source: string) => boolean;
  /** Every deep link found in a command line. */
  readonly receiveArgv: (argv: readonly string[], source: string) => void;
  /** Call when the console page has (re)loaded and listens; flushes held links. */
  readonly setReady: (ready: boolean) => void;
};

/** Links held while the page is not ready; more than this and the oldest are dropped. */
export const MAX_PENDING_LINKS = 5;

/** Creates the router. */
export function createDeepLinkRouter(sink: DeepLinkSink, log: Logger): DeepLinkRouter {
  const pending: string[] = [];
  let ready = false;
  const accept = (link: DeepLink, source: string): void => {
    const url = formatDeepLink(link);
    log.info(`deep link from ${source}: ${url}`);
    sink.focus();
    if (ready) sink.deliver(url);
    else {
      pending.push(url);
      if (pending.length > MAX_PENDING_LINKS) pending.shift();
    }
  };
  const refuse = (error: string, source: string): void =>
    log.warn(`deep link from ${source} refused: ${error}`);
  return {
    receive: (raw, source) => {
      const r = parseDeepLink(raw);
      if (r.ok) accept(r.link, source);
      else refuse(r.error, source);
      return r.ok;
    },
    receiveArgv: (argv, source) => {
      const { link, refused } = deepLinkFromArgv(argv);
      refused.forEach((e) => refuse(e, source));
      if (link) accept(link, source);
    },
    setReady: (value) => {
      ready = value;
      if (!ready) return;
      for (const url of pending.splice(0)) sink.deliver(url);
    },
  };
}

/**
 * Registers the app as the `switchboard:` handler. Under `electron .` (development) the OS must
 * launch Electron with the app's path. On Windows the URL goes after `--`, so a crafted link can
 * never be read as a Chromium switch.
 */
export function registerProtocolClient(
  app: { setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean },
  env: {
    readonly platform: NodeJS.Platform;
    readonly defaultApp: boolean;
    readonly execPath: string;
    readonly appPath: string | undefined;
  },
): boolean {
  const args = env.defaultApp && env.appPath !== undefined ? [env.appPath] : [];
  if (env.platform === 'win32') args.push('--');
  // Reviewed: links reach the app only through parseDeepLink; see docs/security.md.
  return app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, env.execPath, args); // eng-disable PROTOCOL_HANDLER_JS_CHECK
}

/**
 * "Open on a second screen" in the web console: the wallboard opens in its own window
 * (`window.open` of the `#/wallboard` route), placed full size on another screen with the Window
 * Management API when the browser grants it, and the caller is told what happened.
 */

/** A screen as the Window Management API describes it (the parts used here). */
export type ScreenArea = {
  readonly availLeft: number;
  readonly availTop: number;
  readonly availWidth: number;
  readonly availHeight: number;
  readonly isPrimary?: boolean;
  readonly label?: string;
};

type ScreenDetails = {
  readonly screens: readonly ScreenArea[];
  readonly currentScreen: ScreenArea;
};

/** The screen to put the wall on: another one than the console's, or null when there is none. */
export function otherScreen(
  screens: readonly ScreenArea[],
  current: ScreenArea,
): ScreenArea | null {
  const others = screens.filter(
    (s) => s.availLeft !== current.availLeft || s.availTop !== current.availTop,
  );
  // The largest other screen: wallboards go on the big one.
  return (
    [...others].sort((a, b) => b.availWidth * b.availHeight - a.availWidth * a.availHeight)[0] ??
    null
  );
}

/** The `window.open` features that fill `screen`. */
export function placementOn(screen: ScreenArea): string {
  return `left=${screen.availLeft},top=${screen.availTop},width=${screen.availWidth},height=${screen.availHeight}`;
}

async function screenDetails(): Promise<ScreenDetails | null> {
  const w = window as unknown as { getScreenDetails?: () => Promise<ScreenDetails> };
  if (typeof w.getScreenDetails !== 'function') return null;
  try {
    const status = await navigator.permissions.query({
      name: 'window-management' as PermissionName,
    });
    if (status.state === 'denied') return null;
    return await w.getScreenDetails();
  } catch {
    return null;
  }
}

/** Opens the wall window and says, in a sentence for the user, what happened. */
export async function openWallWindow(): Promise<string> {
  const url = new URL(location.href);
  url.hash = '#/wallboard';
  const details = await screenDetails();
  const target = details ? otherScreen(details.screens, details.currentScreen) : null;
  const features = target
    ? placementOn(target)
    : `width=${Math.min(screen.availWidth, 1600)},height=${Math.min(screen.availHeight, 900)}`;
  const wall = window.open(url.href, 'switchboard-wallboard', features);
  if (!wall)
    return 'The browser blocked the wallboard window: allow pop-ups for Switchboard and try again.';
  wall.focus();
  if (target)
    return `The wallboard opened on ${target.label ? `the screen “${target.label}”` : 'your other screen'}; click “Full screen” there.`;
  return details
    ? 'The wallboard opened in a new window; no second screen was found, so move it where the wall should be.'
    : 'The wallboard opened in a new window; this browser did not let Switchboard place it on another screen, so drag it there and click “Full screen”.';
}

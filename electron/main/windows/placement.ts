/**
 * Where windows go, as pure functions over the display layout: the wallboard's display, and
 * whether saved bounds are still usable after a monitor was unplugged or rearranged.
 */

/** A rectangle in screen coordinates (DIP). */
export type Rect = {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
};

/** The parts of Electron's `Display` that placement needs. */
export type DisplayInfo = {
  readonly id: number;
  readonly bounds: Rect;
  readonly workArea: Rect;
};

/** Visible part of a window needed to count as "on screen": enough to grab its title bar. */
export const MIN_VISIBLE = { width: 120, height: 40 } as const;

/** The overlap of two rectangles, or undefined when they do not overlap. */
export function intersection(a: Rect, b: Rect): Rect | undefined {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  if (right <= x || bottom <= y) return undefined;
  return { x, y, width: right - x, height: bottom - y };
}

function isFiniteRect(r: Rect): boolean {
  return [r.x, r.y, r.width, r.height].every(Number.isFinite) && r.width > 0 && r.height > 0;
}

/**
 * A key for the current display layout: the same monitors in the same arrangement give the same
 * key whatever order the OS lists them in, so bounds are remembered per layout.
 */
export function layoutKey(displays: readonly DisplayInfo[]): string {
  return [...displays]
    .sort((a, b) => a.id - b.id)
    .map((d) => `${d.id}@${d.bounds.x},${d.bounds.y},${d.bounds.width}x${d.bounds.height}`)
    .join('|');
}

/**
 * The display for the wallboard: the one the user chose if it is still connected; otherwise a
 * non-primary display when there is one (the leftmost, then topmost, for a stable choice with
 * three or more); otherwise the primary.
 */
export function chooseWallboardDisplay(
  displays: readonly DisplayInfo[],
  primaryId: number,
  preferredId?: number | null,
): DisplayInfo | undefined {
  const preferred = displays.find((d) => d.id === preferredId);
  if (preferred) return preferred;
  const secondary = displays
    .filter((d) => d.id !== primaryId)
    .sort((a, b) => a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y || a.id - b.id)[0];
  return secondary ?? displays.find((d) => d.id === primaryId) ?? displays[0];
}

/** A rectangle of `size` centred in `area`, shrunk to fit it. */
export function centreIn(area: Rect, size: { width: number; height: number }): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Bounds to open a window with: the saved ones when enough of them is still on some display's
 * work area (shrunk to that display if the display got smaller), else `defaultSize` centred on the
 * primary display.
 */
export function restoreBounds(
  saved: Rect | undefined,
  displays: readonly DisplayInfo[],
  primaryId: number,
  defaultSize: { width: number; height: number },
): Rect {
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0];
  const fallbackArea = primary?.workArea ?? { x: 0, y: 0, ...defaultSize };
  if (!saved || !isFiniteRect(saved)) return centreIn(fallbackArea, defaultSize);
  let best: { display: DisplayInfo; area: number } | undefined;
  for (const display of displays) {
    const overlap = intersection(saved, display.workArea);
    if (!overlap || overlap.width < MIN_VISIBLE.width || overlap.height < MIN_VISIBLE.height)
      continue;
    const area = overlap.width * overlap.height;
    if (!best || area > best.area) best = { display, area };
  }
  if (!best) return centreIn(fallbackArea, defaultSize);
  const wa = best.display.workArea;
  const width = Math.min(saved.width, wa.width);
  const height = Math.min(saved.height, wa.height);
  // Keep the title bar reachable: never above the work area or wider than it.
  const x = Math.min(Math.max(saved.x, wa.x), wa.x + wa.width - width);
  const y = Math.min(Math.max(saved.y, wa.y), wa.y + wa.height - height);
  return { x, y, width, height };
}

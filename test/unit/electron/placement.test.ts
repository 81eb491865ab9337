import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_VISIBLE,
  chooseWallboardDisplay,
  intersection,
  layoutKey,
  restoreBounds,
  type DisplayInfo,
  type Rect,
} from '../../../electron/main/windows/placement';

const display = (id: number, x: number, y: number, width: number, height: number): DisplayInfo => ({
  id,
  bounds: { x, y, width, height },
  // A 40 px taskbar at the bottom of every display.
  workArea: { x, y, width, height: height - 40 },
});

const laptop = display(1, 0, 0, 1920, 1080);
const monitorRight = display(2, 1920, 0, 2560, 1440);
const monitorLeft = display(3, -1920, 0, 1920, 1080);
const size = { width: 1400, height: 900 };

describe('chooseWallboardDisplay', () => {
  it('uses the primary display when it is the only one', () => {
    expect(chooseWallboardDisplay([laptop], 1)?.id).toBe(1);
  });

  it('uses the non-primary display when there are two, whichever is primary', () => {
    expect(chooseWallboardDisplay([laptop, monitorRight], 1)?.id).toBe(2);
    expect(chooseWallboardDisplay([laptop, monitorRight], 2)?.id).toBe(1);
  });

  it('picks the leftmost non-primary display with three, regardless of list order', () => {
    expect(chooseWallboardDisplay([monitorRight, laptop, monitorLeft], 1)?.id).toBe(3);
    expect(chooseWallboardDisplay([monitorLeft, laptop, monitorRight], 1)?.id).toBe(3);
  });

  it('honours a chosen display while it is connected, and falls back when it is gone', () => {
    expect(chooseWallboardDisplay([laptop, monitorRight], 2, 1)?.id).toBe(1);
    expect(chooseWallboardDisplay([laptop], 1, 2)?.id).toBe(1);
    expect(chooseWallboardDisplay([], 1)).toBeUndefined();
  });
});

describe('layoutKey', () => {
  it('is the same for the same monitors in any order, different when one moves', () => {
    expect(layoutKey([laptop, monitorRight])).toBe(layoutKey([monitorRight, laptop]));
    expect(layoutKey([laptop, monitorRight])).not.toBe(
      layoutKey([laptop, display(2, -2560, 0, 2560, 1440)]),
    );
    expect(layoutKey([laptop])).not.toBe(layoutKey([laptop, monitorRight]));
  });
});

describe('restoreBounds', () => {
  it('restores bounds that are on a connected display', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000 };
    expect(restoreBounds(saved, [laptop, monitorRight], 1, size)).toEqual(saved);
  });

  it('centres on the primary display when the monitor the window was on is gone', () => {
    const saved = { x: 2000, y: 100, width: 1600, height: 1000 };
    expect(restoreBounds(saved, [laptop], 1, size)).toEqual({
      x: 260,
      y: 70,
      width: 1400,
      height: 900,
    });
  });

  it('treats a sliver left on screen as gone, and an overlap big enough to grab as present', () => {
    const sliver = { x: 1920 - MIN_VISIBLE.width + 1, y: 0, width: 1000, height: 800 };
    expect(restoreBounds(sliver, [laptop], 1, size).x).toBe(260);
    const grabbable = { x: 1920 - MIN_VISIBLE.width, y: 0, width: 1000, height: 800 };
    // Kept on its display, pulled fully inside the work area.
    expect(restoreBounds(grabbable, [laptop], 1, size)).toEqual({
      x: 920,
      y: 0,
      width: 1000,
      height: 800,
    });
  });

  it('shrinks a window saved on a bigger monitor that became smaller', () => {
    const saved = { x: 0, y: 0, width: 2560, height: 1400 };
    const r = restoreBounds(saved, [laptop], 1, size);
    expect(r).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('ignores garbage and missing bounds', () => {
    const nan = { x: Number.NaN, y: 0, width: 100, height: 100 };
    expect(restoreBounds(nan, [laptop], 1, size)).toEqual(
      restoreBounds(undefined, [laptop], 1, size),
    );
    expect(restoreBounds({ x: 0, y: 0, width: 0, height: 0 }, [laptop], 1, size).width).toBe(1400);
  });

  it('always returns a window whose title bar is on some display (property)', () => {
    const rect = fc.record({
      x: fc.integer({ min: -10_000, max: 10_000 }),
      y: fc.integer({ min: -10_000, max: 10_000 }),
      width: fc.integer({ min: 1, max: 8000 }),
      height: fc.integer({ min: 1, max: 5000 }),
    });
    const layouts = fc.subarray([laptop, monitorRight, monitorLeft], { minLength: 1 });
    fc.assert(
      fc.property(rect, layouts, (saved: Rect, ds) => {
        const primary = ds[0]!.id;
        const r = restoreBounds(saved, ds, primary, size);
        const onSome = ds.some((d) => {
          const o = intersection(r, d.workArea);
          return o !== undefined && o.width === r.width && o.height === r.height;
        });
        expect(onSome).toBe(true);
      }),
    );
  });
});

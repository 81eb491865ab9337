import { describe, expect, it } from 'vitest';
import { otherScreen, placementOn } from '../../../renderer/src/platform/wall-window';

const laptop = { availLeft: 0, availTop: 0, availWidth: 1440, availHeight: 900, label: 'Built-in' };
const tv = { availLeft: 1440, availTop: 0, availWidth: 3840, availHeight: 2160, label: 'TV' };
const side = { availLeft: -1080, availTop: 0, availWidth: 1080, availHeight: 1920, label: 'Side' };

describe('placing the wall window', () => {
  it('picks the largest screen other than the console’s, and fills it', () => {
    expect(otherScreen([laptop, tv, side], laptop)).toBe(tv);
    expect(otherScreen([laptop, tv, side], tv)).toBe(side);
    expect(placementOn(tv)).toBe('left=1440,top=0,width=3840,height=2160');
  });

  it('finds none when the console’s screen is the only one', () => {
    expect(otherScreen([laptop], laptop)).toBeNull();
  });
});

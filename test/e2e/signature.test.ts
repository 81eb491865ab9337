/**
 * The customer's signature is stored as drawn, at any window size and device pixel ratio: a
 * known shape is drawn on the pad (after the window was resized), saved, uploaded to the real
 * server, and the stored PNG's inked bounding box is compared with the drawn one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import {
  asUser,
  startTestDesk,
  startTestWeb,
  PREFIX,
  TEST_ADMIN,
  type TestDesk,
} from '../support/desk-server';
import { signInAs, waitForSyncState } from '../support/console-page';
import type { WebHost } from '../../server/src/web-host';
import { createTicket, newTicketNumber, transition } from '../../shared/domain';

type Doc = Record<string, unknown>;
let desk: TestDesk;
let web: WebHost;
let browser: Browser;

beforeAll(async () => {
  desk = await startTestDesk({ tickets: 20 });
  web = await startTestWeb(desk);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await desk?.stop();
});

async function workOrder(): Promise<string> {
  const now = new Date(Date.now() - 3600_000).toISOString();
  const number = newTicketNumber('workorder', {
    now: Date.now() - 3600_000,
    deviceId: 'e2e-signature',
    random: Math.random,
  });
  const r = createTicket(
    {
      kind: 'workorder',
      title: 'Sign for the new dock',
      description: '',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'hardware',
      impact: 3,
      urgency: 3,
      groupId: 'group:field',
      assigneeId: 'tara',
    },
    { now, actor: 'sam', number },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  const started = transition(r.value, 'in-progress', {}, { now, actor: 'sam' });
  if (!started.ok) throw new Error(started.error.message);
  const { number: id, ...body } = {
    ...started.ticket,
    workorder: { fieldStatus: 'on-site', site: 'Dock 2', contactId: null, scheduledFor: null },
  };
  await asUser(desk, 'sam').request('PUT', `/${PREFIX}tickets/${id}`, body);
  return id;
}

// The drawn shape, as fractions of the pad: a rectangle from (0.2, 0.25) to (0.8, 0.75).
const LEFT = 0.2;
const RIGHT = 0.8;
const TOP = 0.25;
const BOTTOM = 0.75;

describe('customer signature', () => {
  it.each([
    { first: { width: 1280, height: 900 }, then: { width: 700, height: 900 }, scale: 1 },
    { first: { width: 600, height: 900 }, then: { width: 1100, height: 800 }, scale: 2 },
  ])(
    'stores what was drawn: $then.width px wide at ratio $scale, after a resize',
    async ({ first, then, scale }) => {
      const number = await workOrder();
      const context = await browser.newContext({ viewport: first, deviceScaleFactor: scale });
      const page = await context.newPage();
      await signInAs(page, web.url, 'tara');
      await waitForSyncState(page, 'in-sync', 60_000);
      await page.locator(`[data-testid="work-order-row"][data-number="${number}"]`).click();
      const wo = page.locator(`[data-testid="work-order"][data-number="${number}"]`);
      await wo.waitFor();
      await page.setViewportSize(then);
      const pad = wo.getByTestId('signature-canvas');
      await pad.scrollIntoViewIfNeeded();
      // The bitmap follows the displayed size and the ratio.
      await expect
        .poll(() =>
          pad.evaluate((c: HTMLCanvasElement) => [
            c.width === Math.round(c.clientWidth * devicePixelRatio),
            c.height === Math.round(c.clientHeight * devicePixelRatio),
          ]),
        )
        .toEqual([true, true]);
      const box = await pad.evaluate((c: HTMLCanvasElement) => {
        const r = c.getBoundingClientRect();
        return {
          x: r.left + c.clientLeft,
          y: r.top + c.clientTop,
          w: c.clientWidth,
          h: c.clientHeight,
        };
      });
      const at = (fx: number, fy: number) => [box.x + fx * box.w, box.y + fy * box.h] as const;
      // A rectangle, one straight stroke per side (no curve between strokes to overshoot).
      const corners = [
        [LEFT, TOP],
        [RIGHT, TOP],
        [RIGHT, BOTTOM],
        [LEFT, BOTTOM],
      ] as const;
      for (let side = 0; side < 4; side++) {
        const [ax, ay] = corners[side]!;
        const [bx, by] = corners[(side + 1) % 4]!;
        await page.mouse.move(...at(ax, ay));
        await page.mouse.down();
        await page.mouse.move(...at(bx, by), { steps: 10 });
        await page.mouse.up();
      }
      await wo.getByLabel('Name of the person signing').fill('Ada Lovelace');
      await wo.getByRole('button', { name: 'Save signature' }).click();
      await wo.locator('[data-testid="field-file"][data-kind="signature"]').waitFor();

      // The stored image, from the server, once its data is up.
      const findStored = async () => {
        const r = await desk.admin.request<{ rows: { doc: Doc }[] }>(
          'GET',
          `/${PREFIX}attachments/_all_docs?include_docs=true`,
        );
        return r.rows
          .map((x) => x.doc)
          .find(
            (d) =>
              d.ticketNumber === number &&
              (d._attachments as { data?: { length: number } } | undefined)?.data?.length ===
                d.size,
          );
      };
      await expect.poll(findStored, { timeout: 30_000 }).toBeDefined();
      const id = String((await findStored())!._id);
      const auth = `Basic ${Buffer.from(`${TEST_ADMIN.user}:${TEST_ADMIN.password}`).toString('base64')}`;
      const res = await fetch(
        `${desk.url.replace(/\/+$/, '')}/${PREFIX}attachments/${encodeURIComponent(id)}/data`,
        { headers: { authorization: auth } },
      );
      expect(res.status).toBe(200);
      const png = Buffer.from(await res.arrayBuffer());
      const inked = await page.evaluate(async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const img = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const c = new OffscreenCanvas(img.width, img.height);
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const { data } = ctx.getImageData(0, 0, img.width, img.height);
        let [x0, y0, x1, y1] = [img.width, img.height, -1, -1];
        for (let y = 0; y < img.height; y++)
          for (let x = 0; x < img.width; x++) {
            const i = (y * img.width + x) * 4;
            if (data[i]! < 128 && data[i + 3]! > 0) {
              x0 = Math.min(x0, x);
              x1 = Math.max(x1, x);
              y0 = Math.min(y0, y);
              y1 = Math.max(y1, y);
            }
          }
        return { width: img.width, height: img.height, x0, y0, x1, y1 };
      }, png.toString('base64'));
      // The image is the pad at the device's resolution, and the ink is where it was drawn
      // (within the pen's width, 3 CSS px).
      expect(inked.width).toBe(Math.round(box.w * scale));
      expect(inked.height).toBe(Math.round(box.h * scale));
      const near = (px: number, want: number, size: number) =>
        expect(
          Math.abs(px / scale - want * size),
          JSON.stringify({ inked, box }),
        ).toBeLessThanOrEqual(3);
      near(inked.x0, LEFT, box.w);
      near(inked.x1, RIGHT, box.w);
      near(inked.y0, TOP, box.h);
      near(inked.y1, BOTTOM, box.h);
      await context.close();
    },
  );
});

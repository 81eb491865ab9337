/**
 * `npm run screenshots`: regenerates the README's screenshots from the real stack (embedded
 * server with a demo desk, built renderer, Debian's Chromium). Writes docs/screenshots/*.png.
 */
import { mkdirSync } from 'node:fs';
import { launchBrowser } from './browser';
import { startTestDesk, startTestWeb } from './desk-server';
import { signInAs, waitForSyncState } from './console-page';

const OUT = 'docs/screenshots';

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const desk = await startTestDesk({ tickets: 3000 });
  const web = await startTestWeb(desk);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInAs(page, web.url, 'alice');
    await waitForSyncState(page, 'in-sync', 120_000);
    await page.getByTestId('view-my-groups').click();
    const grid = page.getByRole('grid', { name: 'Tickets' });
    await grid.focus();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.getByTestId('ticket-panel').waitFor();
    await page.mouse.move(0, 0);
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}/console-light.png` });
    await page.keyboard.press('Escape');
    await page.keyboard.press('t');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}/console-dark.png` });
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox').fill('assign');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/palette-dark.png` });
    await context.close();

    // The wallboard in wall mode, as a supervisor's second screen shows it.
    const wall = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const sup = await wall.newPage();
    await signInAs(sup, web.url, 'sam');
    await waitForSyncState(sup, 'in-sync', 120_000);
    const board = await wall.newPage();
    await board.goto(`${web.url}#/wallboard`);
    await board.getByTestId('tile-breached').waitFor();
    await board.waitForTimeout(800);
    await board.screenshot({ path: `${OUT}/wallboard.png` });
    await board.getByRole('tab', { name: 'Backlog' }).click();
    await board.waitForTimeout(800);
    await board.screenshot({ path: `${OUT}/wallboard-backlog.png` });
    await wall.close();

    // A field technician's work order.
    const field = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const tech = await field.newPage();
    await signInAs(tech, web.url, 'tara');
    await waitForSyncState(tech, 'in-sync', 120_000);
    await tech.getByTestId('work-order-row').first().click();
    await tech.getByTestId('work-order').waitFor();
    await tech.waitForTimeout(500);
    await tech.screenshot({ path: `${OUT}/field.png` });
    await field.close();
    console.log(`screenshots written to ${OUT}/`);
  } finally {
    await browser.close();
    await web.close();
    await desk.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

// `npx tsx electron/scripts/make-icons.ts`: writes build/icon.png, the application icon that
// electron-builder converts for each platform (1024 px so macOS gets every size). Drawn in code
// (electron/main/os/icons.ts), so no image editor or download is needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { appIconPng } from '../main/os/icons';

mkdirSync('build', { recursive: true });
writeFileSync('build/icon.png', appIconPng(1024));
process.stdout.write('switchboard: wrote build/icon.png (1024×1024)\n');

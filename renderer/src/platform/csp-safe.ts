/**
 * Imported first by main.tsx: libraries must not probe `eval` under our strict CSP (zod 4 tries
 * `new Function` once to decide on its JIT, which the browser reports as a CSP violation).
 */
import { z } from 'zod';

z.config({ jitless: true });

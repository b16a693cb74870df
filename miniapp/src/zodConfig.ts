/**
 * Zod without its JIT: neither the h5 page (the server's Content-Security-Policy allows no eval)
 * nor WeChat's JS engine lets a script compile code, and zod otherwise probes for that with
 * `new Function` as each object schema of shared/ is made (a CSP violation report in the browser).
 * Imported first by app.ts, so this runs before any schema is made.
 */
import { z } from 'zod';

z.config({ jitless: true });

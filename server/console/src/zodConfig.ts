/**
 * Zod without its JIT: the server's Content-Security-Policy allows no eval, and zod otherwise
 * probes for it with `new Function` when it first parses an object schema of shared/ (a CSP
 * violation report in the browser). Imported first by main.tsx, before any schema is used.
 */
import { z } from 'zod';

z.config({ jitless: true });

/**
 * Test processes use the pinned OPA that `npm run tools:install` put in `.tools/bin` (through
 * CILOCK_OPA, which the product reads) unless the caller chose one. The documented examples find
 * the other pinned tools through the e2e harness's tiers (test/e2e/lib/tiers.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const repoOpa = path.resolve(import.meta.dirname, '../../.tools/bin/opa');
if (process.env.CILOCK_OPA === undefined && existsSync(repoOpa)) process.env.CILOCK_OPA = repoOpa;

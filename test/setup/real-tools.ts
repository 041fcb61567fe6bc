/**
 * Test processes use the pinned OPA that `npm run tools:install` put in `.tools/bin` (through
 * CILOCK_OPA, which the product reads) unless the caller chose one. The other pinned tools in
 * `.tools/bin` are not put on PATH yet: the documented examples' expectations were recorded with
 * the stand-ins, and real Kubescape v3.0.48 reports 4 findings where the recording has 5.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const repoOpa = path.resolve(import.meta.dirname, '../../.tools/bin/opa');
if (process.env.CILOCK_OPA === undefined && existsSync(repoOpa)) process.env.CILOCK_OPA = repoOpa;

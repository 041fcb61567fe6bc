#!/usr/bin/env node
// Thin launcher so `npx cilock` works from the repo root; the CLI is built into dist/ by `npm run build`.
import '../dist/cli/main.js';

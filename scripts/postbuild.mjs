#!/usr/bin/env node
// After tsc: make the CLI entry executable (npm links it as `lowrank`).
import { chmodSync, existsSync } from 'node:fs';

const cli = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);

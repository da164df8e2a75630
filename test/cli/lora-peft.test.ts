/**
 * Live check of `lowrank lora extract` against PEFT itself, only where the venv of
 * scripts/gen-lora-fixtures.py exists (/tmp/peft-venv with torch and peft): PEFT's
 * PeftModel.from_pretrained loads the adapter lowrank wrote (Python's safetensors reads it,
 * keys and shapes in PEFT's layout), and its merge_and_unload gives the tuned weights up to
 * the relative errors lowrank reported. Slow (importing torch): kept apart from lora.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tempDir } from '../io/util.js';
import { json, run } from './harness.js';

const FIX = new URL('../fixtures/lora/', import.meta.url).pathname;
const BASE = join(FIX, 'planted-base.safetensors');
const TUNED = join(FIX, 'planted-tuned.safetensors');
const SCRIPT = new URL('../../scripts/gen-lora-fixtures.py', import.meta.url).pathname;

interface ModuleLine {
  module: string;
  relativeError: number;
}

const PEFT_PYTHON = '/tmp/peft-venv/bin/python';
describe('live: PEFT loads the adapter lowrank writes (only when /tmp/peft-venv has torch and peft)', { skip: !existsSync(PEFT_PYTHON) && 'no /tmp/peft-venv' }, () => {
  test('PeftModel.from_pretrained + merge_and_unload gives the tuned weights up to the reported error', async () => {
    const dir = join(tempDir(), 'adapter');
    const ex = json(await run('lora', 'extract', BASE, TUNED, '--rank', '4', '--alpha', '16', '--out', dir, '--json'));
    const r = spawnSync(PEFT_PYTHON, [SCRIPT, '--check', dir, BASE, TUNED], { encoding: 'utf8' });
    if (r.status !== 0 && /No module named '(torch|peft)'/.test(r.stderr)) return; // the venv lacks PEFT
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { relative_error: Record<string, number>; changed_outside_adapter: string[]; metadata: Record<string, string> };
    assert.deepEqual(got.metadata, { format: 'pt' });
    assert.deepEqual(got.changed_outside_adapter, []);
    for (const m of ex.modules as ModuleLine[]) assert.ok(Math.abs(got.relative_error[m.module]! - m.relativeError) < 1e-5, `${m.module}: PEFT ${got.relative_error[m.module]} vs ${m.relativeError}`);
  });
});

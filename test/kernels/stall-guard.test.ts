import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StallGuard } from '../../src/kernels/pool.js';

// The guard that keeps fine-grained level-2 jobs on the calling thread while workers stall
// (src/kernels/pool.ts): one slow job (a worker waking from sleep, a VM hiccup) must not trip
// it, a run of StallGuard.STRIKES slow jobs must, and a job on time clears the count.
test('StallGuard: one slow job is tolerated, STRIKES in a row send jobs to the caller', () => {
  const g = new StallGuard();
  const serial = 0.3;
  const slow = 2 * serial + 0.2;
  assert.equal(g.allowed(), true);
  for (let s = 1; s < StallGuard.STRIKES; s++) {
    g.report(slow, serial);
    assert.equal(g.allowed(), true, `after ${s} slow job(s)`);
  }
  g.report(serial, serial); // on time: the count starts again
  for (let s = 1; s < StallGuard.STRIKES; s++) g.report(slow, serial);
  assert.equal(g.allowed(), true);
  g.report(slow, serial);
  assert.equal(g.allowed(), false, 'a run of slow jobs trips the guard');
  // A job after the window (here: reported directly) that runs on time re-opens the pool.
  g.report(serial, serial);
  assert.equal(g.allowed(), true);
});

test('StallGuard: the bound is twice the serial time plus 0.1 ms', () => {
  const g = new StallGuard();
  for (let s = 0; s < 2 * StallGuard.STRIKES; s++) g.report(2 * 1 + 0.1, 1);
  assert.equal(g.allowed(), true);
  for (let s = 0; s < StallGuard.STRIKES; s++) g.report(2 * 1 + 0.11, 1);
  assert.equal(g.allowed(), false);
});

// The kernel boundary declared once (scripts/kernel-abi.mjs): the embedded modules match
// the declaration export for export, and the check that guards the build and the loader
// rejects a module that does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { moduleInfo, verifyModule } from '../../scripts/gen-kernel-abi.mjs';
import { isWasmExports, missingWasmExports } from '../../src/kernels/generated/abi.js';
import { FMA_WASM_BASE64, SIMD_WASM_BASE64 } from '../../src/kernels/generated/wasm-binaries.js';

const embedded = { simd: Buffer.from(SIMD_WASM_BASE64, 'base64'), fma: Buffer.from(FMA_WASM_BASE64, 'base64') };

test('both embedded builds match the declared exports and keep static data out of the heap', () => {
  for (const [name, bytes] of Object.entries(embedded)) {
    verifyModule(bytes, name);
    const { exports } = moduleInfo(bytes);
    assert.deepEqual(exports.get('ddot'), { kind: 'function', params: ['i32', 'i32', 'i32', 'i32', 'i32'], result: 'f64' });
    assert.deepEqual(exports.get('sgemm')?.params?.[5], 'f32', 'sgemm alpha is f32');
  }
});

// A minimal module: `ddot` as () -> f64 (the declaration has five i32 parameters), one
// undeclared export `extra`, and a data segment that ends past the first page.
function badModule(): Uint8Array<ArrayBuffer> {
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const f64zero = [0x44, 0, 0, 0, 0, 0, 0, 0, 0];
  const body = [0x00, ...f64zero, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 1, 0x7c]),
    ...section(3, [2, 0, 0]),
    ...section(5, [1, 0x00, 2]),
    ...section(7, [2, ...name('ddot'), 0, 0, ...name('extra'), 0, 1]),
    ...section(10, [2, body.length, ...body, body.length, ...body]),
    // offset 65530 (signed LEB128: fa ff 03), 10 bytes
    ...section(11, [1, 0x00, 0x41, 0xfa, 0xff, 0x03, 0x0b, 10, ...new Array(10).fill(0)]),
  ]);
}

test('the check names every difference: signature, undeclared export, missing exports, static data', () => {
  const bytes = badModule();
  assert.ok(WebAssembly.validate(bytes), 'the hand-made module is valid WebAssembly');
  assert.equal(moduleInfo(bytes).dataEnd, 65540);
  assert.throws(() => verifyModule(bytes, 'bad'), (e: Error) => {
    assert.match(e.message, /ddot: declared \(i32, i32, i32, i32, i32\) -> f64, module has \(\) -> f64/);
    assert.match(e.message, /extra: exported but not declared/);
    assert.match(e.message, /sgemm: declared but not exported/);
    assert.match(e.message, /static data ends at byte 65540/);
    return true;
  });
});

test('the loader-side check lists missing exports instead of trusting a cast', () => {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(badModule()), {});
  assert.equal(isWasmExports(instance.exports), false);
  const missing = missingWasmExports(instance.exports);
  assert.ok(missing.includes('dgemm') && missing.includes('FMA'));
  assert.ok(!missing.includes('ddot'), 'present functions are not reported (their signatures are the build check\'s job)');
});

// Matrix Market <-> CSR/CSC without densifying, against scipy.io.mmread fixtures.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeSparseMtx, parseMtxSparse, readSparse, readSparseSync, writeSparseMtx, writeSparseMtxSync } from '../../src/io/sparse-io.js';
import { writeNpySync } from '../../src/io/npy.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { CscMatrix, CsrMatrix } from '../../src/sparse/index.js';

const dir = new URL('../fixtures/sparse/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(join(dir, 'mtx.json'), 'utf8')) as Record<string, { rows: number; cols: number; indptr: number[]; indices: number[]; data: number[] }>;
const tmp = mkdtempSync(join(tmpdir(), 'lowrank-sparse-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('Matrix Market into CSR (scipy.io.mmread(...).tocsr())', () => {
  for (const [name, e] of Object.entries(expected)) {
    it(name, async () => {
      const A = readSparseSync(join(dir, name));
      assert.ok(A instanceof CsrMatrix);
      assert.deepEqual(A.shape, [e.rows, e.cols]);
      assert.deepEqual([...A.indptr], e.indptr);
      assert.deepEqual([...A.indices], e.indices);
      assert.deepEqual([...A.data], e.data);
      const C = await readSparse(join(dir, name), { format: 'csc', dtype: 'float32' });
      assert.ok(C instanceof CscMatrix);
      assert.equal(C.dtype, 'float32');
      assert.ok(C.toDense().equals(A.toDense().astype('float32')));
      const P = parseMtxSparse(readFileSync(join(dir, name)));
      assert.deepEqual([...P.indices], e.indices);
    });
  }
});

describe('writing and reading back', () => {
  it('round-trips CSR and CSC exactly (shortest round-trip reals), f32 too', async () => {
    const A = CsrMatrix.random(40, 30, 0.1, { seed: 4, distribution: 'normal' });
    const p = join(tmp, 'a.mtx');
    writeSparseMtxSync(p, A, { comment: 'hello\nworld' });
    const text = readFileSync(p, 'utf8');
    assert.ok(text.startsWith('%%MatrixMarket matrix coordinate real general\n%hello\n%world\n40 30 '));
    const B = readSparseSync(p) as CsrMatrix;
    assert.deepEqual(B.indptr, A.indptr);
    assert.deepEqual(B.indices, A.indices);
    assert.deepEqual(B.data, A.data);
    const F = A.astype('float32').toCsc();
    await writeSparseMtx(p, F);
    const G = (await readSparse(p, { dtype: 'float32' })) as CsrMatrix;
    assert.deepEqual(G.toDense().data, F.toDense().data);
  });

  it('integer field, empty matrices and errors', () => {
    const I = CsrMatrix.fromCoo([0, 1], [1, 0], [3, -4], 2, 2);
    assert.equal(encodeSparseMtx(I, { field: 'integer' }), '%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 2 3\n2 1 -4\n');
    assert.throws(() => encodeSparseMtx(I.scale(0.5), { field: 'integer' }), { name: 'InvalidArgumentError' });
    assert.throws(() => encodeSparseMtx(I, { field: 'complex' as 'real' }), { name: 'InvalidArgumentError' });
    const E = CsrMatrix.fromCoo([], [], [], 0, 5);
    const back = parseMtxSparse(encodeSparseMtx(E));
    assert.deepEqual(back.shape, [0, 5]);
    assert.equal(back.nnz, 0);
    assert.throws(() => parseMtxSparse('%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n'), { name: 'ParseError' });
    assert.throws(() => parseMtxSparse('%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 nan\n'), { name: 'NonFiniteInputError' });
    assert.throws(() => parseMtxSparse('%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n', { format: 'coo' as 'csr' }), { name: 'InvalidArgumentError' });
  });

  it('dense files are converted', () => {
    const p = join(tmp, 'd.npy');
    const M = Matrix.from([[0, 1], [2, 0], [0, 0]]);
    writeNpySync(p, M);
    const A = readSparseSync(p);
    assert.equal(A.nnz, 2);
    assert.ok(A.toDense().equals(M));
    writeFileSync(join(tmp, 'd.csv'), '0,1\n2,0\n');
    assert.equal(readSparseSync(join(tmp, 'd.csv'), { format: 'csc' }).nnz, 2);
  });
});

/**
 * Example 13: rank = entanglement. A state of n qubits is a 2 x 2 x ... x 2 tensor; as a
 * tensor train (a matrix product state) the rank at bond k is the Schmidt rank of the cut
 * between qubits 1..k and k+1..n, and the singular values across the cut give the
 * entanglement (von Neumann) entropy S = -sum p log2 p, p = s^2 / sum s^2, in bits.
 *
 * Part 1: the GHZ and W states of 16 qubits, built directly from their rank-2 cores (never
 *   a 2^16 vector): 1 bit at every cut for GHZ, the binary entropy of k/n for W.
 * Part 2: a random MPS of bond dimension 4: S <= log2 4 = 2 bits, and <= k bits near the ends.
 * Part 3: the ground state of the transverse-field Ising chain H = -sum Z_i Z_i+1 - g sum X_i
 *   (10 spins, open ends) from the dense 1024 x 1024 Hamiltonian (eigh), compressed by
 *   TT-SVD. Ordered (g = 0.3): a cat state, (|up..up> + |down..down>)/sqrt 2 dressed by
 *   fluctuations -- 1 bit from its two equal Schmidt values, then a fast decay. Critical
 *   (g = 1): the slowest decay of the Schmidt values, so the largest ranks at a given
 *   accuracy (though fewer bits at the middle cut than the cat). Paramagnetic (g = 3):
 *   almost a product state, almost no entropy.
 *
 * Run: npx tsx examples/13-entanglement.ts
 */
import { Matrix, Tensor, TensorTrain, eigh, quantize, svdvals, ttSvd } from '../src/index.js';

const bits = (S: ArrayLike<number>) => Array.from(S, (x) => x.toFixed(3)).join(' ');

/** GHZ: (|00..0> + |11..1>) / sqrt 2; core k copies the bit it carries along the bond. */
function ghz(n: number): TensorTrain {
  return new TensorTrain(Array.from({ length: n }, (_, k) => {
    const G = Tensor.zeros([k === 0 ? 1 : 2, 2, k === n - 1 ? 1 : 2]);
    for (let i = 0; i < 2; i++) G.set([k === 0 ? 0 : i, i, k === n - 1 ? 0 : i], k === 0 ? Math.SQRT1_2 : 1);
    return G;
  }));
}

/** W: (|10..0> + |01..0> + ... + |00..1>) / sqrt n; the bond says whether the 1 has been seen. */
function wState(n: number): TensorTrain {
  return new TensorTrain(Array.from({ length: n }, (_, k) => {
    const first = k === 0;
    const last = k === n - 1;
    const G = Tensor.zeros([first ? 1 : 2, 2, last ? 1 : 2]);
    const put = (a: number, i: number, b: number) => {
      if ((first && a !== 0) || (last && b !== 1)) return;
      G.set([first ? 0 : a, i, last ? 0 : b], first ? 1 / Math.sqrt(n) : 1);
    };
    put(0, 0, 0); // no 1 yet, this qubit 0
    put(0, 1, 1); // the 1 is here
    put(1, 0, 1); // the 1 was earlier
    return G;
  }));
}

// ---- Part 1 ------------------------------------------------------------------------------
const n = 16;
const g16 = ghz(n);
const w16 = wState(n);
console.log(`Part 1: ${n} qubits, entropy across each cut (bits)`);
console.log(`GHZ  ranks ${g16.ranks.join(',')}, norm ${g16.norm().toFixed(6)}`);
console.log(`     S = ${bits(g16.entanglementEntropy({ base: 2 }))}`);
console.log(`W    ranks ${w16.ranks.join(',')}, norm ${w16.norm().toFixed(6)}`);
console.log(`     S = ${bits(w16.entanglementEntropy({ base: 2 }))}`);
const h2 = (p: number) => -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
console.log(`     binary entropy of k/n: ${bits(Array.from({ length: n - 1 }, (_, k) => h2((k + 1) / n)))}`);
// The same ranks come back from the full 2^16 vector by TT-SVD:
console.log(`TT-SVD of the full GHZ vector: ranks ${ttSvd(g16.full(), { eps: 1e-12 }).tt.ranks.join(',')}; of the W vector: ${ttSvd(w16.full(), { eps: 1e-12 }).tt.ranks.join(',')}`);

// ---- Part 2 ------------------------------------------------------------------------------
const chi = 4;
const mpsRanks = [1, ...Array.from({ length: n - 1 }, (_, k) => Math.min(chi, 2 ** Math.min(k + 1, n - k - 1))), 1];
const mps = new TensorTrain(Array.from({ length: n }, (_, k) => Tensor.random([mpsRanks[k]!, 2, mpsRanks[k + 1]!], { seed: 10 + k })));
console.log(`\nPart 2: a random MPS of bond dimension ${chi}, ranks ${mps.ranks.join(',')}`);
console.log(`     S = ${bits(mps.entanglementEntropy({ base: 2 }))}   (at most log2 ${chi} = 2 bits)`);

// ---- Part 3 ------------------------------------------------------------------------------
const L = 10;
const dim = 2 ** L;
/** Dense H = -sum_i Z_i Z_{i+1} - g sum_i X_i, basis state s = (s_0 ... s_{L-1}) with s_0 the most significant bit. */
function ising(gField: number): Matrix {
  const H = Matrix.zeros(dim, dim);
  for (let s = 0; s < dim; s++) {
    let zz = 0;
    for (let i = 0; i + 1 < L; i++) zz += ((s >> i) & 1) === ((s >> (i + 1)) & 1) ? 1 : -1;
    H.set(s, s, -zz);
    for (let i = 0; i < L; i++) H.set(s, s ^ (1 << i), -gField);
  }
  return H;
}
console.log(`\nPart 3: ground state of the transverse-field Ising chain, ${L} spins (a 2^${L} vector), TT-SVD at eps 1e-8`);
console.log('   g   energy      ranks                    params  S at the middle cut (bits)  from the 32 x 32 SVD');
for (const gField of [0.3, 1, 3]) {
  const { w, V } = eigh(ising(gField));
  const psi = Float64Array.from({ length: dim }, (_, s) => V.get(s, 0));
  const { tt } = ttSvd(quantize(psi), { eps: 1e-8 });
  const S = tt.entanglementEntropy({ base: 2 });
  // Check: the singular values of the 32 x 32 reshape of psi (cut between spins 5 and 6).
  const sv = svdvals(Matrix.fromArray(psi, 32, 32, { order: 'C' }));
  let direct = 0;
  for (const x of sv) if (x > 0) direct -= x * x * Math.log2(x * x);
  console.log(`${gField.toFixed(1).padStart(4)}  ${w[0]!.toFixed(5).padStart(9)}   ${tt.ranks.join(',').padEnd(24)} ${String(tt.params).padStart(6)}  ${S[L / 2 - 1]!.toFixed(4).padStart(27)}  ${direct.toFixed(4).padStart(20)}`);
}

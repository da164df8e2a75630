/**
 * Seeded, platform-independent pseudo-random numbers.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, 2018), state seeded by SplitMix32 from a
 * 32-bit seed (wider seeds are folded in 32-bit chunks). Only 32-bit integer operations
 * (`Math.imul`, shifts) and IEEE-754 `+ - * / sqrt` are used, and the logarithm needed by
 * the normal sampler is our own polynomial ({@link detLog}) instead of `Math.log`, whose
 * last bit may differ between JavaScript engines. Hence the same seed yields bit-identical
 * streams in Node, Chrome, Firefox and Safari.
 *
 * - `nextUint32()`: 32 random bits.
 * - `nextDouble()`: uniform in [0, 1) with 53 random bits.
 * - `nextNormal()`: standard normal by Marsaglia's polar method.
 */

/** A seeded random source. Create with {@link rng}. */
export interface Rng {
  /** 32 uniformly random bits as an unsigned integer. */
  nextUint32(): number;
  /** Uniform double in [0, 1), 53 bits of randomness. */
  nextDouble(): number;
  /** Standard normal N(0, 1) variate. */
  nextNormal(): number;
  /** Uniform integer in [0, n); `n` must be in [1, 2^32]. Unbiased (rejection sampling). */
  nextInt(n: number): number;
}

/** Anything accepted as a source of randomness: a seed or an existing generator. */
export type RandomState = number | bigint | Rng;

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [state, z >>> 0];
}

class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  constructor(seed: number | bigint) {
    let x: number;
    if (typeof seed === 'bigint') {
      // Fold the bigint into 32 bits, chunk by chunk, so every bit of the seed matters.
      let b = seed < 0n ? -seed * 2n + 1n : seed;
      x = 0;
      do {
        x = (Math.imul(x ^ Number(b & 0xffffffffn), 0x9e3779b1) + 0x7f4a7c15) | 0;
        b >>= 32n;
      } while (b > 0n);
    } else {
      if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
      const hi = Math.floor(seed / 4294967296);
      x = (seed | 0) ^ Math.imul(hi | 0, 0x9e3779b1);
    }
    let st = x;
    const out: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [ns, z] = splitmix32(st);
      st = ns;
      out.push(z);
    }
    this.s0 = out[0]!;
    this.s1 = out[1]!;
    this.s2 = out[2]!;
    this.s3 = out[3]!;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  nextDouble(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  nextNormal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    // Marsaglia polar method: exact in IEEE arithmetic apart from detLog.
    for (;;) {
      const u = 2 * this.nextDouble() - 1;
      const v = 2 * this.nextDouble() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * detLog(s)) / s);
      this.spare = v * f;
      return u * f;
    }
  }

  nextInt(n: number): number {
    if (!(n >= 1 && n <= 4294967296) || !Number.isInteger(n)) {
      throw new RangeError(`nextInt bound must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Create a seeded generator, or pass through an existing one.
 * @param state - a seed (number or bigint) or an {@link Rng}; default seed 0.
 * @example
 * const r = rng(42); r.nextDouble(); // same value on every platform
 */
export function rng(state: RandomState = 0): Rng {
  if (typeof state === 'object') return state;
  return new Xoshiro128(state);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian hosts put the high word at index 1. All mainstream JS engines are LE, but
// test once so a BE host still gets the right exponent.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const Lg1 = 6.666666666666735130e-1;
const Lg2 = 3.999999999940941908e-1;
const Lg3 = 2.857142874366239149e-1;
const Lg4 = 2.222219843214978396e-1;
const Lg5 = 1.818357216161805012e-1;
const Lg6 = 1.531383769920937332e-1;
const Lg7 = 1.479819860511658591e-1;

/**
 * Natural logarithm for positive finite `x` built only from IEEE `+ - * /`, so its result
 * is identical on every engine (fdlibm's `__ieee754_log` reduction and minimax polynomial).
 * Accuracy < 1 ulp. Used by the normal sampler; not a general-purpose replacement.
 */
export function detLog(x: number): number {
  f64[0] = x;
  let hx = u32[HI]! | 0;
  let k = 0;
  if (hx < 0x00100000) {
    // subnormal: scale up by 2^54
    x *= 18014398509481984;
    k -= 54;
    f64[0] = x;
    hx = u32[HI]! | 0;
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  // normalize x or x/2 into [sqrt(2)/2, sqrt(2))
  u32[HI] = hx | (i ^ 0x3ff00000);
  k += i >> 20;
  const f = f64[0]! - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const R = t2 + t1;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

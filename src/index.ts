/**
 * lowrank: matrix factorizations for TypeScript, on WebAssembly SIMD kernels.
 *
 * Node entry point: the whole public API, including reading and writing files
 * (npy, Matrix Market, CSV). Browsers get `./browser.js` (same API without file I/O)
 * through the `browser` export condition. Every name is exported once.
 * @packageDocumentation
 */
export * from './core.js';
export * from './io/index.js';

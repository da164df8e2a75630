/**
 * lowrank for browsers: the public API without file-system I/O (bundlers pick this file
 * through the `browser` export condition). Everything here also works in Node.
 * @packageDocumentation
 */
export * from './core.js';

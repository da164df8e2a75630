/** Types of scripts/gen-kernel-abi.mjs (imported by test/kernels/abi.test.ts). */
export type AbiType = 'i32' | 'f32' | 'f64' | 'ptr' | 'bool';
export interface ModuleExport {
  kind: 'function' | 'global' | 'memory' | 'table';
  params?: string[];
  result?: string;
  type?: string;
}
export function parseSignature(name: string, signature: string): { params: [string, AbiType][]; result: AbiType | 'void' };
export function layout(block: { name: string; fields: [string, AbiType, string][] }): {
  fields: { name: string; type: AbiType; doc: string; offset: number }[];
  bytes: number;
};
export function moduleInfo(bytes: Uint8Array): { exports: Map<string, ModuleExport>; dataEnd: number };
export function verifyModule(bytes: Uint8Array, label: string): void;
export function writeAbi(): void;

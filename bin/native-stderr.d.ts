// Types for native-stderr.js (plain JavaScript: the bin script runs it before anything is built).
export function isNativeNoise(line: string): boolean;
export function createStderrFilter(write: (s: string) => void): {
  push(chunk: Buffer | Uint8Array): void;
  end(): void;
};
export function superviseFiltered(script: string, args: string[]): void;

import type { RunDir } from './run-dir';
import { UserError } from '../shared/errors';

export function onnxFiles(_r: RunDir, _version: string): Map<string, Uint8Array | string> {
  throw new UserError('unsupported', 'onnx: not yet');
}

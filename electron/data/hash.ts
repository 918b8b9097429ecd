/** SHA-256 of a file's bytes, streamed (Node). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { fsError } from './source';

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const c of createReadStream(file) as AsyncIterable<Buffer>) hash.update(c);
  } catch (e) {
    throw fsError(e, file);
  }
  return hash.digest('hex');
}

/**
 * Reading input files (Node side): checks that a path is the kind of thing expected, streams its
 * bytes (gunzipped when it starts with gzip's magic 1f 8b, within the size and ratio caps of
 * limits.ts, checked as each inflated chunk arrives) while hashing the raw bytes with SHA-256, and
 * maps file-system and zlib failures to DataErrors that name the file. The stream lets the event
 * loop run every few milliseconds, so a server stays responsive while a big file loads.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { DataError, fmtInt } from './errors';
import { checkInflated, type ReadLimits } from './limits';

export const CHUNK = 1 << 20;

function errnoCode(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** A DataError for a file-system error, or the error itself when it is not one. */
export function fsError(e: unknown, file: string): unknown {
  switch (errnoCode(e)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new DataError('data.missing-file', 'no such file or folder', { file });
    case 'EISDIR':
      return new DataError('data.not-a-file', 'is a folder; expected a file', { file });
    case 'EACCES':
    case 'EPERM':
      return new DataError('data.missing-file', 'cannot be read (permission denied)', { file });
    default:
      return e;
  }
}

/** stat() that reports a missing path as a DataError. */
export async function statPath(file: string): Promise<Stats> {
  try {
    return await stat(file);
  } catch (e) {
    throw fsError(e, file);
  }
}

/** The first `n` bytes of a file (fewer if it is shorter). */
export async function readHead(file: string, n: number): Promise<Uint8Array> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(file, 'r');
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } catch (e) {
    throw fsError(e, file);
  } finally {
    await fh?.close();
  }
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The uncompressed size a gzip file declares in its last four bytes (ISIZE, little-endian, modulo
 * 2³²): a cheap estimate before decompressing. It can lie (a corrupt or multi-member file), so the
 * loaders enforce their limits while streaming too.
 */
export async function gzipDeclaredSize(file: string, size: number): Promise<number> {
  if (size < 18) return 0;
  let fh: FileHandle | undefined;
  try {
    fh = await open(file, 'r');
    const buf = new Uint8Array(4);
    await fh.read(buf, 0, 4, size - 4);
    return new DataView(buf.buffer).getUint32(0, true);
  } catch (e) {
    throw fsError(e, file);
  } finally {
    await fh?.close();
  }
}

export interface ByteSource {
  /** Decompressed chunks, in order. */
  chunks: AsyncIterable<Uint8Array>;
  /** SHA-256 (hex) of the raw file bytes; complete once `chunks` is exhausted. */
  digest(): string;
}

/** Longest stretch of reading and parsing between two turns of the event loop, ms. */
const SLICE_MS = 15;

/**
 * Hands the event loop a turn when the work since the last one (the consumer parses each chunk
 * between two pulls) took more than SLICE_MS, so that sockets, timers and other calls are served
 * while a big file loads.
 */
export class Breather {
  private last = performance.now();

  async breathe(): Promise<void> {
    if (performance.now() - this.last < SLICE_MS) return;
    await nextTurn();
    this.last = performance.now();
  }
}

/**
 * Stream a file's bytes (gunzipped if `gzip`, within `limits`' size and ratio caps), hashing the
 * raw bytes on the way.
 */
export function openBytes(file: string, gzip: boolean, limits: ReadLimits): ByteSource {
  const hash = createHash('sha256');
  let hex: string | undefined;
  const raw = createReadStream(file, { highWaterMark: CHUNK });
  const breather = new Breather();
  async function* hashed(): AsyncGenerator<Uint8Array> {
    try {
      for await (const c of raw as AsyncIterable<Buffer>) {
        hash.update(c);
        yield c;
        await breather.breathe();
      }
    } catch (e) {
      throw fsError(e, file);
    }
  }
  async function* inflated(): AsyncGenerator<Uint8Array> {
    const gunzip = createGunzip({ chunkSize: CHUNK });
    const out = pipeline(Readable.from(hashed()), gunzip, () => undefined);
    let total = 0;
    try {
      for await (const c of out as AsyncIterable<Buffer>) {
        total += c.length;
        // bytesWritten: the compressed bytes the inflater has consumed so far (not merely read).
        checkInflated(file, total, gunzip.bytesWritten, limits);
        yield c;
        await breather.breathe();
      }
    } catch (e) {
      throw zlibError(e, file);
    } finally {
      gunzip.destroy();
      raw.destroy();
    }
  }
  return {
    chunks: gzip ? inflated() : hashed(),
    digest: () => (hex ??= hash.digest('hex')),
  };
}

function zlibError(e: unknown, file: string): unknown {
  if (e instanceof DataError) return e;
  const code = errnoCode(e);
  if (code === 'Z_BUF_ERROR' || (e instanceof Error && /unexpected end of file/i.test(e.message)))
    return new DataError('data.truncated', 'truncated gzip stream: the compressed file ends early', { file });
  if (code !== undefined && code.startsWith('Z_'))
    return new DataError(
      'data.corrupt',
      `corrupt gzip stream (${e instanceof Error ? e.message : String(e)}); expected a valid .gz file`,
      { file },
    );
  return fsError(e, file);
}

/**
 * Pull-based reader over a chunk stream: exact reads for headers, then the rest chunk by chunk.
 * `offset` counts the (decompressed) bytes handed out so far.
 */
export class ByteReader {
  offset = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private readonly it: AsyncIterator<Uint8Array>;
  private done = false;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.buf.length < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      if (this.buf.length === 0) this.buf = r.value;
      else {
        const b = new Uint8Array(this.buf.length + r.value.length);
        b.set(this.buf);
        b.set(r.value, this.buf.length);
        this.buf = b;
      }
    }
  }

  /** Up to `n` bytes; fewer only at the end of the stream. */
  async read(n: number): Promise<Uint8Array> {
    await this.fill(n);
    const out = this.buf.subarray(0, Math.min(n, this.buf.length));
    this.buf = this.buf.subarray(out.length);
    this.offset += out.length;
    return out;
  }

  /** The remaining bytes, chunk by chunk. */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.buf.length > 0) {
      const b = this.buf;
      this.buf = new Uint8Array(0);
      this.offset += b.length;
      yield b;
    }
    while (!this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      this.offset += r.value.length;
      yield r.value;
    }
  }
}

/** "a.npy: truncated: expected N bytes of data, found M" with the byte offset where it ends. */
export function truncated(
  file: string,
  what: string,
  expected: number,
  found: number,
  at: number,
): DataError {
  return new DataError(
    'data.truncated',
    `truncated file: ${what} needs ${fmtInt(expected)} bytes but only ${fmtInt(found)} are there`,
    { file, byteOffset: at },
  );
}

/**
 * Streamed uploads (browser mode; the desktop may use them too): a file and its companions arrive
 * in chunks and are written straight to a private temporary folder, never held whole in memory;
 * the end loads the copy (or opens it as a session). Each upload belongs to one owner (a socket)
 * and only that owner can touch it. The folder is removed on every way out: a load, a failed load,
 * an abort, a refused chunk, the owner going away, UPLOAD_LIMITS.idleMs without a chunk, closing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UPLOAD_LIMITS } from '../shared/contract';
import type {
  CallArgs,
  CallResult,
  DatasetSummary,
  LoadOptions as WireLoadOptions,
} from '../shared/contract';
import { UserError } from '../shared/errors';
import { fmtBytes, fmtInt } from '../data/errors';
import type { LoadOptions } from '../data/load';
import { UPLOAD_PREFIX, uploadName, type DatasetStore } from './datasets';

export interface UploadLimits {
  /** Largest upload, all its files together (bytes). */
  maxBytes: number;
  /** Abandoned after this long without a chunk (ms). */
  idleMs: number;
  /** Uploads in progress at once: per owner, and in all. */
  perOwner: number;
  total: number;
}

interface UploadFile {
  fileName: string;
  size: number;
  received: number;
  handle: FileHandle | undefined;
}

interface Upload {
  id: string;
  owner: string;
  dir: string;
  files: UploadFile[];
  options: LoadOptions;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Chunks are written one after another, in the order they came. */
  queue: Promise<unknown>;
  ending: boolean;
}

type Handlers = {
  uploadBegin: (i: CallArgs<'uploadBegin'>) => Promise<CallResult<'uploadBegin'>>;
  uploadChunk: (i: CallArgs<'uploadChunk'>) => Promise<CallResult<'uploadChunk'>>;
  uploadEnd: (i: CallArgs<'uploadEnd'>) => Promise<DatasetSummary>;
  uploadEndSession: (i: CallArgs<'uploadEndSession'>) => Promise<CallResult<'uploadEndSession'>>;
  uploadAbort: (i: CallArgs<'uploadAbort'>) => Promise<CallResult<'uploadAbort'>>;
};

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly limits: UploadLimits;

  constructor(
    private readonly datasets: DatasetStore,
    private readonly loadOptions: (o: WireLoadOptions | undefined) => LoadOptions,
    /** Opens a session file's bytes (the session store). */
    private readonly openSession: (
      bytes: Uint8Array,
      fileName: string,
    ) => Promise<CallResult<'uploadEndSession'>>,
    limits: Partial<UploadLimits> = {},
    private readonly log: (m: string) => void = () => {},
  ) {
    this.limits = {
      maxBytes: UPLOAD_LIMITS.maxUploadBytes,
      idleMs: UPLOAD_LIMITS.idleMs,
      perOwner: 4,
      total: 16,
      ...limits,
    };
  }

  /** Uploads in progress: their ids and temporary folders (tests check the folders go). */
  active(): { id: string; owner: string; dir: string }[] {
    return [...this.uploads.values()].map((u) => ({ id: u.id, owner: u.owner, dir: u.dir }));
  }

  private get(owner: string, id: string): Upload {
    const u = this.uploads.get(id);
    if (!u || u.owner !== owner) throw new UserError('not-found', `no upload ${id} in progress`);
    return u;
  }

  private arm(u: Upload): void {
    clearTimeout(u.timer);
    u.timer = setTimeout(() => {
      this.log(
        `upload ${u.id} (${u.files[0]!.fileName}) dropped after ${this.limits.idleMs} ms without a chunk`,
      );
      void this.drop(u);
    }, this.limits.idleMs);
    u.timer.unref?.();
  }

  /** Forget an upload and remove its folder. */
  private async drop(u: Upload): Promise<void> {
    clearTimeout(u.timer);
    this.uploads.delete(u.id);
    await Promise.allSettled(u.files.map((f) => f.handle?.close()));
    await rm(u.dir, { recursive: true, force: true });
  }

  async begin(owner: string, input: CallArgs<'uploadBegin'>): Promise<CallResult<'uploadBegin'>> {
    const files = [
      { fileName: input.fileName, size: input.size },
      ...(input.companions ?? []).filter((c) => uploadName(c.fileName) !== uploadName(input.fileName)),
    ];
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total > this.limits.maxBytes)
      throw new UserError(
        'too-large',
        `${input.fileName}: the upload is ${fmtBytes(total)}; the limit is ${fmtBytes(this.limits.maxBytes)} (the data limit)`,
      );
    const mine = [...this.uploads.values()].filter((u) => u.owner === owner).length;
    if (mine >= this.limits.perOwner || this.uploads.size >= this.limits.total)
      throw new UserError(
        'busy',
        `${fmtInt(mine >= this.limits.perOwner ? mine : this.uploads.size)} uploads are in progress; finish or abort one first`,
      );
    const dir = await mkdtemp(join(tmpdir(), UPLOAD_PREFIX));
    const u: Upload = {
      id: `up-${randomUUID().slice(0, 12)}`,
      owner,
      dir,
      files: files.map((f) => ({ ...f, received: 0, handle: undefined })),
      options: this.loadOptions(input.options),
      timer: undefined,
      queue: Promise.resolve(),
      ending: false,
    };
    this.uploads.set(u.id, u);
    try {
      for (const f of u.files) f.handle = await open(join(dir, uploadName(f.fileName)), 'wx', 0o600);
    } catch (e) {
      await this.drop(u);
      throw e;
    }
    this.arm(u);
    return { uploadId: u.id, chunkBytes: UPLOAD_LIMITS.chunkBytes };
  }

  async chunk(owner: string, input: CallArgs<'uploadChunk'>): Promise<CallResult<'uploadChunk'>> {
    const u = this.get(owner, input.uploadId);
    const f = u.files[input.file];
    const refuse = async (message: string): Promise<never> => {
      await this.drop(u);
      throw new UserError('bad-request', `${u.files[0]!.fileName}: ${message}; the upload was dropped`);
    };
    if (!f || u.ending) return refuse(!f ? `no file ${input.file} in this upload` : 'a chunk after the end');
    this.arm(u);
    const write = u.queue.then(async () => {
      if (!this.uploads.has(u.id)) throw new UserError('not-found', `upload ${u.id} was dropped`);
      if (input.offset !== f.received)
        return refuse(
          `a chunk at byte ${fmtInt(input.offset)} of ${f.fileName}; expected byte ${fmtInt(f.received)} (chunks come in order)`,
        );
      if (f.received + input.bytes.byteLength > f.size)
        return refuse(`${f.fileName} sends more than the ${fmtInt(f.size)} bytes declared`);
      let done = 0;
      while (done < input.bytes.byteLength) {
        const { bytesWritten } = await f.handle!.write(
          input.bytes,
          done,
          input.bytes.byteLength - done,
          f.received + done,
        );
        done += bytesWritten;
      }
      f.received += done;
      return { received: f.received };
    });
    u.queue = write.catch(() => undefined);
    return write;
  }

  /** Wait for the chunks, close the files, check they are complete; the caller removes the folder. */
  private async finish(owner: string, id: string): Promise<Upload> {
    const u = this.get(owner, id);
    if (u.ending) throw new UserError('bad-request', `upload ${id} is already ending`);
    u.ending = true;
    clearTimeout(u.timer);
    try {
      await u.queue;
      for (const f of u.files) {
        await f.handle?.close();
        f.handle = undefined;
        if (f.received !== f.size)
          throw new UserError(
            'bad-request',
            `${f.fileName}: the upload is incomplete (${fmtInt(f.received)} of ${fmtInt(f.size)} bytes)`,
          );
      }
    } catch (e) {
      await this.drop(u);
      throw e;
    }
    return u;
  }

  async end(owner: string, id: string): Promise<DatasetSummary> {
    const u = await this.finish(owner, id);
    try {
      return (await this.datasets.loadUploaded(u.dir, u.files[0]!.fileName, u.options)).summary;
    } finally {
      await this.drop(u);
    }
  }

  async endSession(owner: string, id: string): Promise<CallResult<'uploadEndSession'>> {
    const u = await this.finish(owner, id);
    try {
      const bytes = await readFile(join(u.dir, uploadName(u.files[0]!.fileName)));
      return await this.openSession(
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        u.files[0]!.fileName,
      );
    } finally {
      await this.drop(u);
    }
  }

  async abort(owner: string, id: string): Promise<CallResult<'uploadAbort'>> {
    const u = this.uploads.get(id);
    if (!u || u.owner !== owner || u.ending) return { aborted: false };
    await this.drop(u);
    return { aborted: true };
  }

  /** The owner went away (its socket closed): its uploads go. */
  async closeOwner(owner: string): Promise<void> {
    await Promise.all(
      [...this.uploads.values()].filter((u) => u.owner === owner && !u.ending).map((u) => this.drop(u)),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.uploads.values()].map((u) => this.drop(u)));
  }

  /** The contract's upload calls for one owner. */
  handlers(owner: string): Handlers {
    return {
      uploadBegin: (i) => this.begin(owner, i),
      uploadChunk: (i) => this.chunk(owner, i),
      uploadEnd: ({ uploadId }) => this.end(owner, uploadId),
      uploadEndSession: ({ uploadId }) => this.endSession(owner, uploadId),
      uploadAbort: ({ uploadId }) => this.abort(owner, uploadId),
    };
  }
}

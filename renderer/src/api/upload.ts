/**
 * Sending files to the engine in chunks (browser mode): uploadBegin with the sizes, the bytes in
 * UPLOAD_LIMITS.chunkBytes pieces (a few in flight, in order), then uploadEnd (a dataset) or
 * uploadEndSession. Files are read slice by slice, so neither side holds a big file whole in one
 * message; anything small enough for one chunk goes in one call instead.
 */
import { UPLOAD_LIMITS } from '../../../electron/shared/contract';
import type {
  DatasetSummary,
  ExplorerApi,
  LoadOptions,
  SessionInfo,
} from '../../../electron/shared/contract';

/** A file to send: its name, size and a way to read a slice of it. */
export interface UploadPart {
  fileName: string;
  size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

export function bytesPart(fileName: string, bytes: Uint8Array): UploadPart {
  return { fileName, size: bytes.byteLength, read: async (a, b) => bytes.subarray(a, b) };
}

export function filePart(file: File): UploadPart {
  return {
    fileName: file.name,
    size: file.size,
    read: async (a, b) => new Uint8Array(await file.slice(a, b).arrayBuffer()),
  };
}

/** Chunks on their way at once: enough to keep the socket busy, few enough to bound memory. */
const WINDOW = 4;

/** Stream parts[0] (with parts[1…] as companions) and end it as a dataset or a session. */
export async function streamUpload(
  api: ExplorerApi,
  parts: readonly UploadPart[],
  end: 'dataset',
  options?: LoadOptions,
): Promise<DatasetSummary>;
export async function streamUpload(
  api: ExplorerApi,
  parts: readonly UploadPart[],
  end: 'session',
): Promise<SessionInfo>;
export async function streamUpload(
  api: ExplorerApi,
  parts: readonly UploadPart[],
  end: 'dataset' | 'session',
  options?: LoadOptions,
): Promise<DatasetSummary | SessionInfo> {
  const [main, ...companions] = parts;
  const { uploadId, chunkBytes } = await api.uploadBegin({
    fileName: main!.fileName,
    size: main!.size,
    ...(options ? { options } : {}),
    ...(companions.length
      ? { companions: companions.map((c) => ({ fileName: c.fileName, size: c.size })) }
      : {}),
  });
  try {
    for (let file = 0; file < parts.length; file++) {
      const part = parts[file]!;
      const inFlight: Promise<unknown>[] = [];
      for (let offset = 0; offset < part.size; offset += chunkBytes) {
        const bytes = await part.read(offset, Math.min(part.size, offset + chunkBytes));
        const sent = api.uploadChunk({ uploadId, file, offset, bytes });
        sent.catch(() => undefined); // awaited below; a failure ends the loop there
        inFlight.push(sent);
        if (inFlight.length >= WINDOW) await inFlight.shift();
      }
      await Promise.all(inFlight);
    }
  } catch (e) {
    await api.uploadAbort({ uploadId }).catch(() => undefined);
    throw e;
  }
  return end === 'dataset' ? api.uploadEnd({ uploadId }) : api.uploadEndSession({ uploadId });
}

/** Small files in one call (read whole), bigger ones streamed. */
export async function sendDataset(
  api: ExplorerApi,
  upload: ExplorerApi['uploadDataset'],
  parts: readonly UploadPart[],
  options?: LoadOptions,
): Promise<DatasetSummary> {
  const total = parts.reduce((n, p) => n + p.size, 0);
  // An empty main file goes in one call too: the loader says what is wrong with it.
  if (total > UPLOAD_LIMITS.chunkBytes && parts[0]!.size > 0)
    return streamUpload(api, parts, 'dataset', options);
  const [main, ...rest] = await Promise.all(
    parts.map(async (p) => ({ fileName: p.fileName, bytes: await p.read(0, p.size) })),
  );
  return upload({
    ...main!,
    ...(rest.length ? { companions: rest } : {}),
    ...(options ? { options } : {}),
  });
}

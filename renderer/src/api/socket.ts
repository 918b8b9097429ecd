/**
 * Browser mode's `ExplorerApi`: the same calls as the desktop preload, over a WebSocket to
 * `manifold-explorer serve` (binary frames, shared/wire.ts). What the desktop does with native
 * dialogs, the browser does itself: a file input for "open", a download for "export". Files bigger
 * than one chunk (datasets, sessions) are streamed in chunks (upload.ts); no message is sent that
 * is bigger than the server's frame limit (the server would close the socket).
 */
import { CALL_NAMES, EVENT_SUBSCRIBERS, UPLOAD_LIMITS } from '../../../electron/shared/contract';
import type {
  CallName,
  CallReply,
  EventMessage,
  EventName,
  ExplorerApi,
} from '../../../electron/shared/contract';
import { EVENTS } from '../../../electron/shared/call-names';

const SESSION_EXTENSION = '.mexsession';
import { decodeFrame, encodeFrame } from '../../../electron/shared/wire';
import { ApiError } from './errors';
import { bytesPart, filePart, sendDataset, streamUpload } from './upload';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** `onClose` is called when the server goes away (the page then says so). */
export async function connectSocketApi(url: string, onClose?: () => void): Promise<ExplorerApi> {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener(
      'error',
      () => reject(new ApiError('connection', `cannot connect to ${url.replace(/token=\w+/, 'token=…')}`)),
      {
        once: true,
      },
    );
  });
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = Object.fromEntries(EVENTS.map((e) => [e, new Set<(p: unknown) => void>()])) as Record<
    EventName,
    Set<(p: unknown) => void>
  >;

  ws.addEventListener('message', (ev: MessageEvent<ArrayBuffer>) => {
    let msg: unknown;
    try {
      msg = decodeFrame(new Uint8Array(ev.data));
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    if ('event' in msg) {
      const m = msg as EventMessage;
      for (const cb of listeners[m.event] ?? []) cb(m.payload);
      return;
    }
    const { id, ...reply } = msg as { id: number } & CallReply<unknown>;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new ApiError(reply.error.code, reply.error.message));
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new ApiError('connection', 'the engine connection closed'));
    pending.clear();
    onClose?.();
  });

  const call = (name: CallName, input: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (ws.readyState !== WebSocket.OPEN)
        return reject(new ApiError('connection', 'the engine connection is closed'));
      const id = nextId++;
      const frame = encodeFrame({ id, call: name, input });
      if (frame.byteLength > UPLOAD_LIMITS.maxFrameBytes)
        return reject(
          new ApiError(
            'too-large',
            `${name}: a message of ${(frame.byteLength / 2 ** 20).toFixed(1)} MiB; browser mode sends at most ${UPLOAD_LIMITS.maxFrameBytes / 2 ** 20} MiB at once`,
          ),
        );
      pending.set(id, { resolve, reject });
      ws.send(frame);
    });

  const api = Object.fromEntries(
    CALL_NAMES.map((name) => [name, (input: unknown) => call(name, input ?? {})]),
  ) as Record<string, unknown>;
  for (const [event, fn] of Object.entries(EVENT_SUBSCRIBERS) as [EventName, string][]) {
    api[fn] = (cb: (p: unknown) => void) => {
      listeners[event].add(cb);
      return () => void listeners[event].delete(cb);
    };
  }
  const explorer = api as unknown as ExplorerApi;

  // Files bigger than a chunk are streamed: uploadBegin, uploadChunk…, uploadEnd(Session).
  const uploadWhole = explorer.uploadDataset;
  explorer.uploadDataset = (input) =>
    sendDataset(
      explorer,
      uploadWhole,
      [
        bytesPart(input.fileName, input.bytes),
        ...(input.companions ?? []).map((c) => bytesPart(c.fileName, c.bytes)),
      ],
      input.options,
    );
  const importWhole = explorer.importSession;
  explorer.importSession = (input) =>
    input.bytes.byteLength > UPLOAD_LIMITS.chunkBytes
      ? streamUpload(explorer, [bytesPart(input.fileName, input.bytes)], 'session')
      : importWhole(input);
  // No native dialogs in a browser: a file input feeds the upload, read slice by slice; exports download.
  explorer.openDatasetDialog = async (input) => {
    const files = await pickFiles(input.folder ? undefined : DATA_ACCEPT, true);
    if (files.length === 0) return null;
    // The dataset is the first file that is not an IDX labels file; the others travel with it.
    const isLabels = (f: File) => /labels[-.]idx1/i.test(f.name);
    const main = files.find((f) => !isLabels(f)) ?? files[0]!;
    const rest = files.filter((f) => f !== main).slice(0, 4);
    return sendDataset(explorer, uploadWhole, [main, ...rest].map(filePart), input.options);
  };
  explorer.exportFile = async ({ suggestedName, content }) => download(suggestedName, content);
  // Sessions in a browser: download the bytes, or upload a session file.
  explorer.saveSession = async ({ viewState }) => {
    const { bytes } = await explorer.exportSession({ viewState });
    return download(`session${SESSION_EXTENSION}`, bytes);
  };
  explorer.openSession = async () => {
    const [file] = await pickFiles(SESSION_EXTENSION, false);
    if (!file) return null;
    if (file.size > UPLOAD_LIMITS.chunkBytes) return streamUpload(explorer, [filePart(file)], 'session');
    return importWhole({ fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  };
  return explorer;
}

function download(suggestedName: string, content: string | Uint8Array): { path: null; bytes: number } {
  const blob = new Blob([typeof content === 'string' ? content : new Uint8Array(content)]);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = suggestedName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return { path: null, bytes: blob.size };
}

const DATA_ACCEPT = '.csv,.tsv,.txt,.npy,.json,.gz,.idx,.ubyte';

function pickFiles(accept: string | undefined, multiple: boolean): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = multiple;
    if (accept) input.accept = accept;
    input.addEventListener('change', () => resolve([...(input.files ?? [])]), { once: true });
    input.addEventListener('cancel', () => resolve([]), { once: true });
    input.click();
  });
}

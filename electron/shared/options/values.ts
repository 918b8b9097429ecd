/**
 * An option's value as text and back: what a flag's argument or a panel field holds. One parser for
 * both faces, so `--hidden 64,32` and the panel's "64, 32" mean the same, with the same message for
 * a bad value (the bounds come from the schema, ./table.ts).
 */
import type { Bound, OptionSpec } from './table';

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

const fmtNum = (v: number) =>
  Number.isInteger(v) && Math.abs(v) >= 10_000 ? v.toLocaleString('en-US') : String(v);

function range(min?: Bound, max?: Bound): string {
  const lo = min ? `${min.inclusive ? '≥' : '>'} ${fmtNum(min.value)}` : '';
  const hi = max ? `${max.inclusive ? '≤' : '<'} ${fmtNum(max.value)}` : '';
  return [lo, hi].filter(Boolean).join(' and ');
}

/** "expected a whole number ≥ 1", "expected a number in [0, 1]". */
export function expectation(spec: Pick<OptionSpec, 'kind' | 'min' | 'max' | 'choices'>): string {
  switch (spec.kind) {
    case 'integer':
      return `expected a whole number${spec.min || spec.max ? ` ${range(spec.min, spec.max)}` : ''}`;
    case 'number':
      return spec.min?.inclusive && spec.max?.inclusive
        ? `expected a number in [${spec.min.value}, ${spec.max.value}]`
        : `expected a number${spec.min || spec.max ? ` ${range(spec.min, spec.max)}` : ''}`;
    case 'choice':
      return `expected one of ${spec.choices!.join(', ')}`;
    case 'list':
      return 'expected comma-separated widths such as 256,64 (or none)';
    case 'composite':
      return 'expected gaussian:σ, mask:ν or salt-pepper:ν, e.g. gaussian:0.1';
    case 'switch':
      return 'expected yes or no';
  }
}

function within(v: number, min?: Bound, max?: Bound): boolean {
  if (min && (min.inclusive ? v < min.value : v <= min.value)) return false;
  if (max && (max.inclusive ? v > max.value : v >= max.value)) return false;
  return true;
}

/** Text → value, checked against the option's kind and bounds. Blank text is not a value (see callers). */
export function parseText(spec: OptionSpec, text: string): Parsed {
  const t = text.trim();
  const bad = (): Parsed => ({ ok: false, error: expectation(spec) });
  switch (spec.kind) {
    case 'integer': {
      const n = Number(t);
      return /^-?\d+$/.test(t) && Number.isSafeInteger(n) && within(n, spec.min, spec.max)
        ? { ok: true, value: n }
        : bad();
    }
    case 'number': {
      const n = Number(t);
      return t !== '' && Number.isFinite(n) && within(n, spec.min, spec.max) ? { ok: true, value: n } : bad();
    }
    case 'choice':
      return spec.choices!.includes(t) ? { ok: true, value: t } : bad();
    case 'switch':
      return /^(yes|on|true|1)$/i.test(t)
        ? { ok: true, value: true }
        : /^(no|off|false|0)$/i.test(t)
          ? { ok: true, value: false }
          : bad();
    case 'list': {
      if (/^(none|0)$/i.test(t)) return { ok: true, value: [] };
      const parts = t.split(/[\s,;x×]+/).filter(Boolean);
      const nums = parts.map(Number);
      const item = spec.item ?? {};
      if (!parts.length || !nums.every((v, i) => /^\d+$/.test(parts[i]!) && within(v, item.min, item.max)))
        return bad();
      if (spec.maxItems !== undefined && nums.length > spec.maxItems)
        return { ok: false, error: `expected at most ${spec.maxItems} widths` };
      return { ok: true, value: nums };
    }
    case 'composite': {
      const m = /^([a-z-]+):(.+)$/.exec(t);
      const [kindSpec, levelSpec] = spec.parts!;
      const kind = m && parseText(kindSpec!, m[1]!);
      const level = m && parseText(levelSpec!, m[2]!);
      if (!kind?.ok || !level?.ok) return bad();
      return {
        ok: true,
        value: { [kindSpec!.keys.at(-1)!]: kind.value, [levelSpec!.keys.at(-1)!]: level.value },
      };
    }
  }
}

/** Value → text, as a field shows it and as help states a default ("64, 32", "none", "on"). */
export function formatValue(spec: Pick<OptionSpec, 'kind' | 'parts' | 'keys'>, value: unknown): string {
  if (value === undefined) return '';
  switch (spec.kind) {
    case 'list':
      return (value as number[]).length ? (value as number[]).join(', ') : 'none';
    case 'switch':
      return value ? 'on' : 'off';
    case 'composite': {
      const o = value as Record<string, unknown>;
      return spec.parts!.map((p) => String(o[p.keys.at(-1)!])).join(':');
    }
    case 'integer':
    case 'number':
      return fmtNum(value as number);
    default:
      return String(value);
  }
}

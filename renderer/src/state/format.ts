/** Short, readable numbers, durations and errors for the panels. */
import { formatValue } from '../charts/scale';

export { formatValue as fmt };

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtPercent(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)} %`;
}

export function fmtMaybe(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : formatValue(v);
}

/** 75 → "1 min 15 s", 3 → "3 s". */
export function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 1) return '< 1 s';
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function fmtBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 ** 2) return `${(b / 1024).toFixed(1)} KiB`;
  if (b < 1024 ** 3) return `${(b / 1024 ** 2).toFixed(1)} MiB`;
  return `${(b / 1024 ** 3).toFixed(2)} GiB`;
}

/** The message of anything thrown (the API's errors carry the engine's message as is). */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * "config.lambda: must be ≥ 0; train.epochs: …" (the engine's bad-config message, one issue per
 * field) → { 'config.lambda': 'must be ≥ 0', … }, so each message can sit beside its field.
 */
export function fieldErrors(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of message.split(/;\s+/)) {
    const m = /^((?:config|train|model)(?:\.[\w]+)*):\s*(.+)$/.exec(part.trim());
    if (m) out[m[1]!.replace(/^model\./, 'config.')] = m[2]!;
  }
  return out;
}

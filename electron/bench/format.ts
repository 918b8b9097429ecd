/** The benchmark report as an aligned text table (the JSON is the report itself). */
import type { BenchReport, Spread } from './run';

const n0 = (x: number) => x.toFixed(0);
const range = (s: Spread, f: (x: number) => string) =>
  s.n > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);

export function formatReport(r: BenchReport): string {
  const labels = [...new Set(r.rows.flatMap((row) => row.torch.map((t) => t.label)))];
  const head = [
    'BACKEND',
    'MODEL',
    'ROWS×EP',
    'SAMPLES/S',
    'MS/STEP',
    'RSS MB',
    'TENSOR MB',
    'HEAP Δ MB',
    'LEAK',
  ];
  const short = (l: string) => `${l.split(' ')[0]} (${l.match(/\(([^)]+)\)/)?.[1] ?? ''})`;
  for (const l of labels) head.push(`${short(l)} S/S`, `× ${short(l)}`, '× BY CPU TIME');
  const ok = r.rows.filter((row) => row.samplesPerSecond && row.msPerStep);
  const f2 = (x: number) => x.toFixed(2);
  const body = ok.map((row) => {
    const cells = [
      row.backend,
      row.model,
      `${row.rows}×${row.epochs}`,
      range(row.samplesPerSecond!, n0),
      range(row.msPerStep!, f2),
      n0(row.peakRssMB ?? 0),
      (row.peakTensorMB ?? 0).toFixed(1),
      (row.heapGrowthMB ?? 0).toFixed(1),
      `${row.tensorsLeaked ?? 0}`,
    ];
    for (const l of labels) {
      const t = row.torch.find((x) => x.label === l);
      cells.push(
        t ? range(t.samplesPerSecond, n0) : '-',
        t ? range(t.ratio, f2) : '-',
        t ? range(t.cpuRatio, f2) : '-',
      );
    }
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ');
  const failed = r.rows
    .filter((row) => !(row.samplesPerSecond && row.msPerStep))
    .map((row) => `${row.backend} ${row.model}: failed: ${row.error ?? 'no run'}`);
  const m = r.machine;
  return (
    [
      `${r.date}  ${m.cpuModel}, ${m.cpus} cores, ${m.memoryGB} GB, Node ${m.node}, ${m.platform}`,
      `batch ${r.options.batch}, one warm-up epoch then ${r.options.epochs} timed; median (min–max) of ${r.options.repeats} runs`,
      'RSS: peak of the process; TENSOR: peak tf.memory(); HEAP Δ: V8 heap after the last epoch minus after the warm-up; LEAK: tensors left after disposal',
      ...r.options.torch.map((t) => `${t.label}: ${t.blas ?? ''}`),
      '',
      line(head),
      ...body.map(line),
      ...failed,
      '',
      ...r.rows
        .filter((row) => row.device)
        .map((row) => `${row.backend}: ${row.device}`)
        .filter((v, i, a) => a.indexOf(v) === i),
      ...r.notes,
    ].join('\n') + '\n'
  );
}

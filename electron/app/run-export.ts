/**
 * A finished run's codes, reconstructions, weights, metrics or history as file content (CSV, NPY,
 * JSON or the raw float32 weights); the renderer saves it with exportFile.
 */
import type { CallArgs, CallResult, RunSummary } from '../shared/contract';
import { UserError } from '../shared/errors';
import { encodeNpy } from '../data/npy';
import type { FinishedRun } from './analysis-run';

export function exportRun(
  f: FinishedRun,
  input: CallArgs<'exportRun'>,
  summary: RunSummary,
): CallResult<'exportRun'> {
  const { run, result } = f;
  const ds = run.dataset.dataset;
  const base = `${ds.name}-${run.config.family}-${run.runId}`;
  const matrix = (data: Float32Array, cols: number, names: string[]) => {
    if (input.format === 'npy') return encodeNpy(data, [data.length / cols, cols]);
    if (input.format !== 'csv')
      throw new UserError(
        'bad-request',
        `${input.what} export as ${input.format} is not available; use csv or npy`,
      );
    const lines = [names.join(',')];
    for (let i = 0; i < data.length / cols; i++)
      lines.push(Array.from(data.subarray(i * cols, (i + 1) * cols), (v) => String(v)).join(','));
    return lines.join('\n') + '\n';
  };
  switch (input.what) {
    case 'codes':
      return {
        suggestedName: `${base}-codes.${input.format}`,
        content: matrix(
          result.codes,
          result.latent,
          Array.from({ length: result.latent }, (_, j) => `h${j}`),
        ),
      };
    case 'reconstructions':
      return {
        suggestedName: `${base}-reconstructions.${input.format}`,
        content: matrix(
          result.reconstructions,
          ds.dims,
          ds.featureNames ?? Array.from({ length: ds.dims }, (_, j) => `x${j}`),
        ),
      };
    case 'weights':
      if (input.format === 'json')
        return {
          suggestedName: `${base}-model.json`,
          content: JSON.stringify(result.model.manifest, null, 2),
        };
      if (input.format !== 'bin')
        throw new UserError('bad-request', 'weights export as json (manifest) or bin (float32 weights)');
      return { suggestedName: `${base}-weights.bin`, content: result.model.weights };
    case 'metrics':
      return {
        suggestedName: `${base}-metrics.json`,
        content: JSON.stringify({ summary: summary, metrics: result.metrics }, null, 2),
      };
    case 'history': {
      if (input.format === 'json')
        return { suggestedName: `${base}-history.json`, content: JSON.stringify(run.history, null, 2) };
      const keys = [...new Set(run.history.flatMap((h) => Object.keys(h)))];
      const lines = [
        keys.join(','),
        ...run.history.map((h) => keys.map((k) => (h[k] ?? '') as string | number).join(',')),
      ];
      return { suggestedName: `${base}-history.csv`, content: lines.join('\n') + '\n' };
    }
  }
}

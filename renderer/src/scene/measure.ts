/**
 * Timings for the benchmark (issue 8, "Rendering") and the browser tests' report: a frame drawn
 * and waited for, a screen-grid build and query, a GPU id-pass pick.
 */
import { rendererInfo } from './renderer-info';
import type { ViewTimings } from '../shared/view-types';
import type { Stage } from './stage';

export function measureView(
  stage: Stage,
  pick: (x: number, y: number) => unknown,
  pickGpu: (x: number, y: number) => unknown,
  frames: number,
  samples: number,
): ViewTimings {
  const frameMs = stage.timeFrames(frames);
  const at = (i: number): [number, number] => [
    ((i * 0.618 + 0.1) % 1) * stage.width,
    ((i * 0.382 + 0.1) % 1) * stage.height,
  ];
  // Build once to warm the JIT, then time a second build (what each camera move costs).
  stage.viewVersion++;
  pick(...at(0));
  stage.viewVersion++;
  let t0 = performance.now();
  pick(...at(0));
  const gridBuildMs = performance.now() - t0;
  t0 = performance.now();
  for (let i = 1; i <= samples; i++) pick(...at(i));
  const pickMs = (performance.now() - t0) / samples;
  t0 = performance.now();
  for (let i = 1; i <= samples; i++) pickGpu(...at(i));
  const gpuPickMs = (performance.now() - t0) / samples;
  return {
    frameMs,
    gridBuildMs,
    pickMs,
    gpuPickMs,
    renderer: rendererInfo().name,
    antialias: stage.renderer.getContextAttributes()?.antialias ?? false,
  };
}

/**
 * Lines wider than WebGL's one pixel (three's LineSegments2 / LineMaterial: each segment an
 * instanced screen-space quad). The width is in CSS pixels: every material shares the stage's
 * `resolution` (the view's CSS size), so a 2× PNG export draws lines twice as wide, as it should.
 */
import type * as THREE from 'three';
import { LineMaterial } from 'three/examples/jsm/lines/LineMaterial.js';
import { LineSegments2 } from 'three/examples/jsm/lines/LineSegments2.js';
import { LineSegmentsGeometry } from 'three/examples/jsm/lines/LineSegmentsGeometry.js';
import type { Rgb } from '../colormap';
import type { Stage } from '../stage';
import { color3 } from './util';

export function fatMaterial(
  stage: Stage,
  width: number,
  opts: { vertexColors?: boolean; opacity?: number } = {},
): LineMaterial {
  const m = new LineMaterial({
    linewidth: width,
    vertexColors: opts.vertexColors ?? false,
    transparent: (opts.opacity ?? 1) < 1,
    opacity: opts.opacity ?? 1,
  });
  m.uniforms.resolution!.value = stage.resolution;
  return m;
}

export function setFatColor(m: LineMaterial, rgb: Rgb): void {
  m.color = color3(rgb);
}

/**
 * Segments from [2m, 3] endpoint positions (pairs), optionally with [2m, 3] linear-RGB colours.
 * Nothing is drawn for fewer than one segment.
 */
export function fatSegments(
  positions: Float32Array,
  material: LineMaterial,
  colors?: Float32Array,
): LineSegments2 {
  const g = new LineSegmentsGeometry();
  if (positions.length >= 6) {
    g.setPositions(positions);
    if (colors) g.setColors(colors);
  }
  const line = new LineSegments2(g, material);
  line.frustumCulled = false;
  return line;
}

/** A polyline [m, 3] as consecutive segments (what Line2 does, in the segment form). */
export function polylineToSegments(points: Float32Array): Float32Array {
  const m = points.length / 3;
  const out = new Float32Array(Math.max(0, m - 1) * 6);
  for (let i = 0; i < m - 1; i++) out.set(points.subarray(i * 3, i * 3 + 6), i * 6);
  return out;
}

/** Overwrite a fat-line geometry's segment positions in place (same count). */
export function writeSegments(g: LineSegmentsGeometry, positions: Float32Array): void {
  const start = g.getAttribute('instanceStart') as THREE.InterleavedBufferAttribute | undefined;
  if (!start) return;
  (start.data.array as Float32Array).set(positions);
  start.data.needsUpdate = true;
}

/** Overwrite a fat-line geometry's vertex colours in place (same count). */
export function writeColors(g: LineSegmentsGeometry, colors: Float32Array): void {
  const start = g.getAttribute('instanceColorStart') as THREE.InterleavedBufferAttribute | undefined;
  if (!start) return;
  (start.data.array as Float32Array).set(colors);
  start.data.needsUpdate = true;
}

/**
 * GPU picking: draw the pickable clouds with an id-writing material into a 1 × 1 render target
 * whose view is the one pixel under the cursor (camera.setViewOffset), read that pixel, decode the
 * id. Only the vertex work scales with n; the depth test makes the nearest point win. No CPU
 * raycast over every point.
 */
import * as THREE from 'three';
import type { PickHit } from '../shared/view-types';

export class GpuPicker {
  private readonly target = new THREE.WebGLRenderTarget(1, 1, {
    type: THREE.UnsignedByteType,
    format: THREE.RGBAFormat,
    depthBuffer: true,
    generateMipmaps: false,
  });
  private readonly scene = new THREE.Scene();
  private readonly layers: { name: string; object: THREE.Object3D; source: THREE.Object3D }[] = [];
  private readonly pixel = new Uint8Array(4);
  private readonly clear = new THREE.Color();
  /** Milliseconds the last pick took (render + read back). */
  lastMs = 0;

  /** Register a pick object (sharing geometry with `source`, whose visibility it follows). */
  add(name: string, object: THREE.Object3D, source: THREE.Object3D): void {
    this.layers.push({ name, object, source });
    this.scene.add(object);
  }

  /** The point under CSS pixel (x, y) of a view `width` × `height`, or null. */
  pick(
    renderer: THREE.WebGLRenderer,
    camera: THREE.PerspectiveCamera,
    x: number,
    y: number,
    width: number,
    height: number,
  ): PickHit | null {
    if (x < 0 || y < 0 || x >= width || y >= height) return null;
    const t0 = performance.now();
    let hit: PickHit | null = null;
    const alpha = renderer.getClearAlpha();
    renderer.getClearColor(this.clear);
    const oldTarget = renderer.getRenderTarget();
    // One pass per layer keeps the ids unambiguous; layers are few (data, reconstructions).
    for (const layer of this.layers) {
      if (!layer.source.visible) continue;
      for (const l of this.layers) l.object.visible = l === layer;
      camera.setViewOffset(width, height, Math.floor(x), Math.floor(y), 1, 1);
      renderer.setRenderTarget(this.target);
      renderer.setClearColor(0x000000, 0);
      renderer.clear();
      renderer.render(this.scene, camera);
      renderer.readRenderTargetPixels(this.target, 0, 0, 1, 1, this.pixel);
      camera.clearViewOffset();
      const id = this.pixel[0]! | (this.pixel[1]! << 8) | (this.pixel[2]! << 16);
      if (id > 0) {
        hit = { layer: layer.name, index: id - 1 };
        break;
      }
    }
    renderer.setRenderTarget(oldTarget);
    renderer.setClearColor(this.clear, alpha);
    this.lastMs = performance.now() - t0;
    return hit;
  }

  dispose(): void {
    this.target.dispose();
    this.scene.clear();
  }
}

/**
 * Hover and click picking on a view's canvas. Mouse moves are coalesced to one pick per animation
 * frame; nothing is picked while a button is held (the user is orbiting); a click is a press and
 * release less than 5 px apart (anything longer was a drag).
 */
import type { Stage } from './stage';

export interface PickHandlers<T> {
  pick: (x: number, y: number) => T | null;
  /** The point under the cursor changed (null: none, or the cursor left / the camera moved). */
  hover: (hit: T | null, x: number, y: number) => void;
  click: (hit: T | null) => void;
}

export function attachPicking<T>(canvas: HTMLCanvasElement, stage: Stage, h: PickHandlers<T>): () => void {
  let raf = 0;
  let at: { x: number; y: number } | null = null;
  let down: { x: number; y: number } | null = null;
  const local = (e: PointerEvent): { x: number; y: number } => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const move = (e: PointerEvent): void => {
    if (e.buttons !== 0) return;
    at = local(e);
    if (raf) return;
    raf = requestAnimationFrame(() => {
      raf = 0;
      if (!at) return;
      h.hover(h.pick(at.x, at.y), at.x, at.y);
    });
  };
  const leave = (): void => {
    at = null;
    h.hover(null, 0, 0);
  };
  const press = (e: PointerEvent): void => {
    down = local(e);
  };
  const release = (e: PointerEvent): void => {
    if (!down || e.button !== 0) return;
    const p = local(e);
    const moved = Math.hypot(p.x - down.x, p.y - down.y);
    down = null;
    if (moved < 5) h.click(h.pick(p.x, p.y));
  };
  const startDrag = (): void => h.hover(null, 0, 0);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerleave', leave);
  canvas.addEventListener('pointerdown', press);
  canvas.addEventListener('pointerup', release);
  stage.controls.addEventListener('start', startDrag);
  return () => {
    if (raf) cancelAnimationFrame(raf);
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerleave', leave);
    canvas.removeEventListener('pointerdown', press);
    canvas.removeEventListener('pointerup', release);
    stage.controls.removeEventListener('start', startDrag);
  };
}

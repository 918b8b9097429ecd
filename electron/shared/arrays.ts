/**
 * Large arrays cross process boundaries as typed arrays with their shape — never as JSON number
 * lists, and never checked element by element with a schema. These schemas check the type, that
 * the length matches the shape, and (one tight loop) that every value is finite.
 */
import { z } from 'zod';

export interface Tensor<T extends Float32Array | Int32Array | Uint8Array = Float32Array> {
  data: T;
  shape: number[];
}

function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

const shapeSchema = z.array(z.number().int().nonnegative()).min(1).max(4);

function tensorOf<T extends Float32Array | Int32Array | Uint8Array>(
  ctor: new (n: number) => T,
  finite: boolean,
) {
  return z
    .object({ data: z.instanceof(ctor), shape: shapeSchema })
    .strict()
    .superRefine((t, ctx) => {
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (t.data.length !== n) {
        ctx.addIssue({
          code: 'custom',
          message: `length ${t.data.length} does not match shape [${t.shape.join(', ')}] (${n} values)`,
        });
      } else if (finite && t.data instanceof Float32Array && !allFinite(t.data)) {
        ctx.addIssue({ code: 'custom', message: 'contains NaN or Infinity' });
      }
    }) as unknown as z.ZodType<Tensor<T>>;
}

/** Float32 tensor, finite values only. */
export const FloatTensorSchema = tensorOf<Float32Array>(Float32Array, true);
/** Float32 tensor that may hold NaN (e.g. a metric that does not apply). */
export const LooseFloatTensorSchema = tensorOf<Float32Array>(Float32Array, false);
export const IntTensorSchema = tensorOf<Int32Array>(Int32Array, false);
export const ByteTensorSchema = tensorOf<Uint8Array>(Uint8Array, false);

/** A 2-D float tensor with `cols` columns (when given). */
export function matrixSchema(cols?: number) {
  return FloatTensorSchema.refine(
    (t) => t.shape.length === 2 && (cols === undefined || t.shape[1] === cols),
    {
      message:
        cols === undefined ? 'expected a matrix [rows, cols]' : `expected a matrix with ${cols} columns`,
    },
  );
}

/** Raw bytes (file contents, model weights, exports). */
export const BytesSchema = z.custom<Uint8Array>(
  (v) => v instanceof Uint8Array,
  'expected bytes (a Uint8Array)',
);

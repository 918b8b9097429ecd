/**
 * The contract's analysis calls on a trained run (and PCA on a dataset): tangent planes, r(x) − x,
 * trajectories, the vector field, the decoded surface, one point's inspection, retrieval, quality.
 */
import { z } from 'zod';
import { ByteTensorSchema, FloatTensorSchema, IntTensorSchema, LooseFloatTensorSchema } from '../arrays';
import { ByRun, Id } from './common';

/** Where to analyse: rows of the run's dataset, or new points (original units). */
export const AtSchema = z.union([
  z.object({ indices: z.array(z.number().int().nonnegative()).min(1).max(100_000) }).strict(),
  z.object({ points: FloatTensorSchema }).strict(),
]);

export const AnalyzeInputSchema = z
  .object({
    runId: Id,
    at: AtSchema,
    tangents: z
      .object({ method: z.enum(['decoder', 'encoder']).default('decoder') })
      .strict()
      .optional(),
    score: z.boolean().optional(),
    trajectories: z
      .object({
        steps: z.number().int().min(1).max(500),
        alpha: z.number().positive().max(2).default(1),
        /** 'descent': x ← x + α(r(x) − x); 'chain': x ← r(C(x)), corrupt then denoise. */
        mode: z.enum(['descent', 'chain']).default('descent'),
        /** Start this far off the manifold (Gaussian, original units); 0 starts at the points. */
        offset: z.number().nonnegative().default(0),
        seed: z.number().int().default(0),
      })
      .strict()
      .optional(),
  })
  .strict();

export const AnalyzeResultSchema = z.object({
  /** n × d, the points analysed (original units). */
  points: FloatTensorSchema,
  /** n × m × d, orthonormal rows: the estimated tangent basis at each point. */
  tangents: FloatTensorSchema.optional(),
  /** n × m, the Jacobian's singular values. */
  singularValues: FloatTensorSchema.optional(),
  /** n, local intrinsic-dimension estimate. */
  intrinsicDims: IntTensorSchema.optional(),
  /** n × d, r(x) − x. */
  score: FloatTensorSchema.optional(),
  /** n × (steps+1) × d. */
  trajectories: FloatTensorSchema.optional(),
  /** n, angle (degrees) to the true tangent plane, for built-in samples. */
  tangentAngles: LooseFloatTensorSchema.optional(),
  /** n, cosine between r(x) − x and the true score, where the density is known. */
  scoreCosines: LooseFloatTensorSchema.optional(),
  metrics: z.record(z.string(), z.number().nullable()),
});

export const FieldInputSchema = z
  .object({
    runId: Id,
    /** Points per axis of the regular grid around the data. */
    resolution: z.number().int().min(2).max(64).default(16),
    /** Grid in the data's first 2 or 3 coordinates (or PCA axes when d > 3). */
    dims: z.union([z.literal(2), z.literal(3)]).default(3),
    /** Extra margin around the data's bounding box, as a fraction of its size. */
    padding: z.number().min(0).max(2).default(0.15),
  })
  .strict();
export const FieldResultSchema = z.object({
  /** g × d grid points and g × d vectors r(x) − x, original units. */
  points: FloatTensorSchema,
  vectors: FloatTensorSchema,
  scoreCosines: LooseFloatTensorSchema.optional(),
});

export const SurfaceInputSchema = z
  .object({ runId: Id, resolution: z.number().int().min(2).max(256).default(48) })
  .strict();
export const SurfaceResultSchema = z.object({
  /** 'curve' for k = 1, 'mesh' for k = 2, 'projection' (codes' PCA to 3-D) for k > 3. */
  kind: z.enum(['curve', 'mesh', 'none']),
  /** v × d decoded points, original units. */
  vertices: FloatTensorSchema,
  /** Triangle indices (mesh) or line-strip order (curve). */
  indices: IntTensorSchema,
  /** The latent box that was decoded: k × 2 (min, max). */
  latentRange: FloatTensorSchema,
});

export const PcaInputSchema = z
  .object({ datasetId: Id, components: z.number().int().min(1).max(64).default(3) })
  .strict();
export const PcaResultSchema = z.object({
  mean: FloatTensorSchema,
  /** c × d, orthonormal rows. */
  components: FloatTensorSchema,
  explainedVariance: FloatTensorSchema,
  /** rows × c, the data projected. */
  projection: FloatTensorSchema,
});

export const InspectInputSchema = z
  .object({
    runId: Id,
    index: z.number().int().nonnegative(),
    neighbors: z.number().int().min(1).max(100).default(8),
  })
  .strict();
export const InspectResultSchema = z.object({
  index: z.number().int(),
  original: FloatTensorSchema,
  reconstruction: FloatTensorSchema,
  code: FloatTensorSchema,
  label: z.number().int().optional(),
  singularValues: FloatTensorSchema,
  neighbors: z.object({
    indices: IntTensorSchema,
    distances: FloatTensorSchema,
    space: z.enum(['code', 'hamming']),
  }),
});
export type InspectResult = z.infer<typeof InspectResultSchema>;

export const RetrieveInputSchema = z
  .object({
    runId: Id,
    query: z.union([
      z.object({ index: z.number().int().nonnegative() }).strict(),
      z.object({ point: FloatTensorSchema }).strict(),
    ]),
    k: z.number().int().min(1).max(1000).default(20),
    /** Hamming distance on the 0/1 codes (hashing), or Euclidean in code space. */
    space: z.enum(['code', 'hamming']).default('code'),
    /** Hamming-ball retrieval: everything within this radius (hashing only). */
    radius: z.number().int().nonnegative().optional(),
  })
  .strict();
export const RetrieveResultSchema = z.object({
  indices: IntTensorSchema,
  distances: FloatTensorSchema,
  /** Whether each result shares the query's label (when labels exist). */
  relevant: ByteTensorSchema.optional(),
  precisionAtK: z.number().nullable(),
  averagePrecision: z.number().nullable(),
});

export const QualityResultSchema = z.object({
  trustworthiness: z.number().nullable(),
  continuity: z.number().nullable(),
  knnAccuracy: z.number().nullable(),
  reconstructionMse: z.number(),
  pcaMse: z.number(),
  meanAveragePrecision: z.number().nullable(),
  /** Principal angles (degrees) between the decoder's subspace and PCA's (linear runs). */
  principalAngles: z.array(z.number()).optional(),
  /** Median angle (degrees) to the true tangent planes (built-in samples). */
  medianTangentAngle: z.number().nullable(),
  sampled: z.number().int().nullable(),
});

export const analysisCalls = {
  pca: { input: PcaInputSchema, result: PcaResultSchema },
  analyze: { input: AnalyzeInputSchema, result: AnalyzeResultSchema },
  field: { input: FieldInputSchema, result: FieldResultSchema },
  surface: { input: SurfaceInputSchema, result: SurfaceResultSchema },
  inspect: { input: InspectInputSchema, result: InspectResultSchema },
  retrieve: { input: RetrieveInputSchema, result: RetrieveResultSchema },
  quality: { input: ByRun, result: QualityResultSchema },
} as const;

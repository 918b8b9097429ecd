/** The engine's public surface (hosts and the analysis import from here or from the files). */
export { createAutoencoder, type AnyAutoencoder, type CreateOptions } from './models/create';
export type { Autoencoder } from './models/autoencoder';
export type { NamedWeight, WeightSpec } from './models/params';
export {
  train,
  type TrainResult,
  type HistoryRecord,
  type StageSummary,
  type TrainCallbacks,
  type BatchInfo,
  type LoopControl,
  type TrainData,
  type StopReason,
} from './train';
export {
  runTraining,
  flattenHistory,
  snapshotIndices,
  type RunRequest,
  type RunResult,
  type RunCallbacks,
  type CodeSnapshot,
} from './run';
export type { RunMetrics } from './metrics';
export {
  saveModel,
  loadModel,
  ModelManifestSchema,
  MODEL_MANIFEST_FILE,
  MODEL_WEIGHTS_FILE,
  type ModelManifest,
  type SavedModel,
  type LoadedModel,
} from './serialize';
export { encodeRows, reconstructRows, decodeRows } from './apply';
export { createObjective, stageObjective, type Objective } from './families';
export { matMul, setMatMul, dense, affine, type MatMulFn } from './layers/dense';
export { jacobian, jacobianRow, jacobianFrobeniusSq } from './analysis/jacobian';
export * from './analysis/pca';

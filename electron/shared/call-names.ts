/**
 * The names of the contract's calls and events as plain constants, with no imports: the sandboxed
 * preload bundles this file alone (contract/index.ts checks that it matches its table).
 */
export const CALLS = [
  'appInfo',
  'listSamples',
  'openSample',
  'openDatasetDialog',
  'uploadDataset',
  'uploadBegin',
  'uploadChunk',
  'uploadEnd',
  'uploadEndSession',
  'uploadAbort',
  'listDatasets',
  'getDataset',
  'pca',
  'startTraining',
  'pauseTraining',
  'resumeTraining',
  'cancelTraining',
  'restartFromCheckpoint',
  'listRuns',
  'getRun',
  'deleteRun',
  'analyze',
  'field',
  'surface',
  'inspect',
  'retrieve',
  'quality',
  'saveSession',
  'openSession',
  'exportSession',
  'importSession',
  'exportFile',
  'exportRun',
  'openCodes',
] as const;

export const EVENTS = ['progress', 'snapshot', 'job', 'command', 'datasetOpened', 'sessionOpened'] as const;

/** The one IPC channel every call travels on: `{ call, input }` in, `CallReply` out. */
export const IPC_CHANNEL = 'explorer:call';
/** Main hands the renderer its event port on this channel. */
export const PORT_CHANNEL = 'explorer:events';

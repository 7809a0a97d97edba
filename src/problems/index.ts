export type { Task, NodeData, FederatedDataset, DatasetJson } from './types.ts';
export { parseDataset, loadDataset, datasetToJson, pooled, nodeSizes, locateJsonError } from './dataset.ts';
export {
  LOSS_NAMES, EXP_OVERFLOW_MARGIN, isMarginLoss, validateLoss, sampleLoss, sampleDerivative, nodeGrad, nodeGradRows,
  nodeLoss, nodeLossAndGrad, datasetLoss,
} from './losses.ts';
export type { LossName, LossSpec } from './losses.ts';

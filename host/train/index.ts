// SPDX-License-Identifier: Apache-2.0
// Public surface of training: backends, datasets, the spatial SNN and MLP, training sessions,
// evaluation (float model and bit-exact core image), and pictures. `loci train`, `loci eval`,
// `loci plot` and `loci demo` use only what is exported here.

export { BACKEND_CHOICES, describeBackend, initBackend, type BackendChoice, type BackendInfo } from "./backend.ts";
export { classCounts, limitDataset, permutation, selectSamples, splitValidation, type Dataset, type DatasetSplits, type ImageDataset, type SpikeDataset } from "./dataset.ts";
export { DATASET_NAMES, isDatasetName, loadDataset, type DatasetName, type DatasetOptions } from "./load-dataset.ts";
export { loadMnist, defaultMnistDir, MNIST_HOW_TO_GET } from "./mnist.ts";
export { loadFashionMnist, FASHION_MNIST_DIR, FASHION_CLASSES } from "./fashion-mnist.ts";
export { loadTemporal, temporalPatterns, resolveTemporalOptions, type TemporalOptions } from "./temporal.ts";
export { loadShd, loadShdFile, SHD_HOW_TO_GET, type ShdOptions } from "./shd.ts";
export { parseIdx, encodeIdx, type IdxArray } from "./idx.ts";
export { encodeBatch, sampleSpikes, type SpikeBatch } from "./encoders.ts";
export { SpatialPopulation, SpatialProjection, type DelayRule, type SpaceOptions } from "./spatial-layer.ts";
export { OUTPUT_NEURON, SNN_DEFAULTS, SpatialSnn, pruneBudget, type ExactLayer, type ForwardResult, type LayerScale, type SpatialSnnConfig, type SpatialSnnInit } from "./spatial-snn.ts";
export { SpatialMlp, evaluateMlp, readMlp, saveMlp, trainMlp, MLP_FORMAT, type SpatialMlpConfig, type SavedMlp } from "./spatial-mlp.ts";
export { batchLoss, cosineRate, inputRates, runTraining, trainSnn, type BatchEvent, type EpochEvent, type SnnTrainOptions, type TrainOptions, type TrainResult, type TrainState } from "./train-loop.ts";
export { defaultSettings, loadResume, trainSession, type SessionHooks, type SessionResult, type TrainSettings } from "./session.ts";
export { readCheckpoint, writeCheckpoint, CHECKPOINT_FORMAT, type Checkpoint } from "./checkpoint.ts";
export { fromModelFile, toModelFile } from "./model-io.ts";
export { classifyOnCore, readOutClass, evaluateCoreImage, evaluateModel, openCoreImage, type CoreClassifier, type CoreRun, type EvalOptions, type EvalResult } from "./eval.ts";
export { parseEvents, pictureOfModel, positionsSvg, project2d, rasterSvg, type RasterGroup, type SpatialPicture } from "./plots.ts";
export { rasterGroups, writePositionPictures, writeRasterPicture, type PictureOptions, type RasterPicture } from "./pictures.ts";
export { Svg, svgToPng } from "./svg.ts";
export { SHIPPED_MNIST_MODEL } from "./shipped-model.ts";

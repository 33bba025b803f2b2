// SPDX-License-Identifier: Apache-2.0
// The trained MNIST spatial SNN shipped with Loci (examples/models/), as `loci demo` runs it.

import path from "node:path";

/** Path of the shipped MNIST model file: 784-200-10, positions in 16-D, 16,384 synapses. */
export const SHIPPED_MNIST_MODEL = path.resolve(import.meta.dirname, "../../examples/models/mnist-snn.model.json");

// SPDX-License-Identifier: Apache-2.0
// `loci demo` (what `npm start` runs): the main job, end to end on the shipped MNIST model
// (demo-mnist.ts); `loci demo --quick`: a small network on the simulator in a second (demo-quick.ts).

import { intOption, numberOption, type Command, type CommandRegistrar } from "../command.ts";
import type { CliIO } from "../io.ts";
import { MNIST_DEMO_DEFAULTS, runMnistDemo, type MnistDemoOptions } from "./demo-mnist.ts";
import { runQuickDemo } from "./demo-quick.ts";

/** Options of `loci demo`, as commander parses them: the main job's and the quick tour's. */
interface DemoCommandOptions extends MnistDemoOptions {
  readonly quick: boolean;
  readonly steps: number;
  readonly rate: number;
  readonly seed: number;
}

/** Register `loci demo`. */
export const registerDemo: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command("demo")
    .description(
      "the main job: compile the shipped MNIST model for the iCEBreaker, evaluate it bit-exactly, flash the (virtual) board, " +
        "compare board and simulator on test images, draw pictures; --quick: a small network on the simulator",
    )
    .option("--quick", "only the small tour: build a small spatial network, simulate it, print spikes, cycles and a summary", false)
    .option("--model <file>", "model file to run", MNIST_DEMO_DEFAULTS.model)
    .option("--eval-images <n>", "MNIST test images evaluated in the simulator", intOption("--eval-images", 1, 10_000), MNIST_DEMO_DEFAULTS.evalImages)
    .option("--board-images <n>", "test images run on the board and compared (0: skip the board)", intOption("--board-images", 0, 10_000), MNIST_DEMO_DEFAULTS.boardImages)
    .option("--port <port>", "`virtual` (build and start the virtual board), `sim`, or a serial port such as /dev/ttyUSB1", MNIST_DEMO_DEFAULTS.port)
    .option("--baud <baud>", "line rate of a real board (must match its build)", intOption("--baud", 9600, 12_000_000))
    .option("--out-dir <dir>", "folder for the image, pictures and summary.json", MNIST_DEMO_DEFAULTS.outDir)
    .option("--no-png", "write SVG pictures only")
    .option("--steps <n>", "--quick: steps to simulate", intOption("--steps", 1, 100_000), 40)
    .option("--rate <r>", "--quick: input rate, probability per axon per step", numberOption("--rate", 0, 1), 0.25)
    .option("--seed <s>", "--quick: seed of the positions and the input", intOption("--seed", 0, 2 ** 32 - 1), 7)
    .option("--json", "print one JSON document", false)
    .action(async (o: DemoCommandOptions) => {
      if (o.quick) {
        await runQuickDemo(io, { json: o.json, seed: o.seed, steps: o.steps, rate: o.rate });
        return;
      }
      await runMnistDemo(io, o);
    });
};

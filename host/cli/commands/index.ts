// SPDX-License-Identifier: Apache-2.0
// The registry of CLI commands: one file per command, each exporting a `register` function.
// Add a command by importing it here and appending it to COMMANDS.

import type { CommandRegistrar } from "../command.ts";
import { registerDemo } from "./demo.ts";
import { registerSim } from "./sim.ts";
import { registerSynth } from "./synth.ts";
import { registerBoard } from "./board.ts";
import { registerFlash } from "./flash.ts";
import { registerRun } from "./run.ts";
import { registerHil } from "./hil.ts";
import { registerCompile } from "./compile.ts";
import { registerImage } from "./image.ts";
import { registerTrain } from "./train.ts";
import { registerEval } from "./eval.ts";
import { registerPlot } from "./plot.ts";
import { registerCosim } from "./cosim.ts";


export const COMMANDS: readonly CommandRegistrar[] = [registerSim, registerDemo, registerSynth, registerBoard, registerFlash, registerRun, registerHil, registerCompile, registerImage, registerTrain, registerEval, registerPlot, registerCosim];

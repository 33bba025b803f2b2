// SPDX-License-Identifier: Apache-2.0
// The delay experiment (`npm run experiment:delays`): the same spatial SNN trained on the temporal
// dataset twice — delays from distance (d / v, rounded) and every delay fixed to one step — with
// the same seed, data, size and schedule. Classes differ only in relative spike timing, so the
// network needs delays to line spikes up. Writes both model files and a result file; the last
// line printed is JSON.
//
// Options: --epochs N (default 30), --out-dir DIR (default examples/models), --limit N (training
// samples, default all 4,000), --backend NAME.

import path from "node:path";
import { asLociError } from "../../sim/errors.ts";
import { writeFileAtomic } from "../../sim/json-file.ts";
import { initBackend, type BackendChoice } from "./backend.ts";
import { defaultSettings, trainSession, type SessionResult, type TrainSettings } from "./session.ts";

/** Settings of one arm of the experiment. */
export function delayArm(delays: "fixed" | "distance", epochs: number, limit: number | null): TrainSettings {
  return { ...defaultSettings("temporal"), epochs, delays, limit };
}

/** Result of the experiment. */
export interface DelayExperiment {
  readonly distance: { readonly accuracy: number; readonly float: number; readonly model: string };
  readonly fixed: { readonly accuracy: number; readonly float: number; readonly model: string };
  /** Accuracy with distance delays minus with 1-step delays (core integers, test set). */
  readonly margin: number;
  readonly chance: number;
  readonly epochs: number;
  readonly backend: string;
}

/** Train both arms and compare their test accuracy on the core's integers. */
export async function runDelayExperiment(outDir: string, epochs: number, limit: number | null, backend: BackendChoice = "auto", log: (line: string) => void = () => undefined): Promise<DelayExperiment> {
  const info = await initBackend(backend);
  const results: Record<string, SessionResult> = {};
  for (const arm of ["distance", "fixed"] as const) {
    const out = path.join(outDir, `temporal-${arm}-delays.model.json`);
    log(`training the ${arm}-delay network (${epochs} epochs) → ${out}`);
    results[arm] = await trainSession(delayArm(arm, epochs, limit), out, path.join(outDir, `.temporal-${arm}.ckpt.json`), {
      backend: info.name,
      createdBy: "npm run experiment:delays",
      onEpoch: (e) => log(`  ${arm} epoch ${e.epoch + 1}: loss ${e.loss.toFixed(3)}, train accuracy ${(e.accuracy * 100).toFixed(1)} %`),
    });
  }
  const pick = (r: SessionResult) => ({ accuracy: r.accuracy.quantized ?? r.accuracy.float, float: r.accuracy.float, model: r.out });
  const d = pick(results.distance);
  const f = pick(results.fixed);
  return { distance: d, fixed: f, margin: d.accuracy - f.accuracy, chance: 1 / 4, epochs, backend: info.name };
}

function arg(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const outDir = arg("out-dir", "examples/models");
    const limit = arg("limit", "");
    const result = await runDelayExperiment(outDir, Number(arg("epochs", "30")), limit === "" ? null : Number(limit), arg("backend", "auto") as BackendChoice, (l) => console.log(l));
    writeFileAtomic(path.join(outDir, "temporal-delays.result.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`distance delays: ${(result.distance.accuracy * 100).toFixed(1)} %, 1-step delays: ${(result.fixed.accuracy * 100).toFixed(1)} % (chance 25 %)`);
    console.log(JSON.stringify(result));
  } catch (error) {
    const e = asLociError(error);
    console.error(`experiment:delays: error ${e.code}: ${e.message}${e.suggestion === undefined ? "" : `\n  hint: ${e.suggestion}`}`);
    process.exitCode = 1;
  }
}

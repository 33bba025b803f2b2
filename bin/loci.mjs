#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The `loci` command: loads the TypeScript sources through tsx and runs the CLI.
import { register } from "tsx/esm/api";

// A closed pipe (`loci sim ... | head`) ends output quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

register();
const { runCli } = await import("../host/cli/main.ts");
process.exitCode = await runCli(process.argv);

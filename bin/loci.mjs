#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The `loci` command: loads the TypeScript sources through tsx and runs the CLI.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../host/cli/main.ts");
process.exitCode = await runCli(process.argv);

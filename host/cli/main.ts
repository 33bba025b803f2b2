// SPDX-License-Identifier: Apache-2.0
// Entry point of the `loci` CLI: builds the program, runs it, and turns every error into one
// message and an exit status.

import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { LociError } from "../../sim/errors.ts";
import { COMMANDS } from "./commands/index.ts";
import { reportError } from "./errors.ts";
import { processIO, type CliIO } from "./io.ts";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Build the `loci` program with every registered command. */
export function createProgram(io: CliIO = processIO): Command {
  const program = new Command("loci")
    .description(
      "Loci: train spatial spiking networks, compile them to the Loci core, simulate them bit-exactly, " +
        "and run them on an FPGA board (or the virtual board) over UART. Start with `loci demo`.",
    )
    .version(packageVersion(), "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  for (const register of COMMANDS) register(program, io);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Run the CLI with `argv` (as process.argv: node, script, args...). Returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const json = argv.includes("--json");
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version output end the run normally; commander already printed its message.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
      if (json) return reportError(io, new LociError("E_USAGE", error.message.replace(/^error: /, "")), true);
      return 2;
    }
    return reportError(io, error, json);
  }
}

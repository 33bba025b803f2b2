// SPDX-License-Identifier: Apache-2.0
// The shape of a command module and helpers for options shared by many commands.

import { Command, InvalidArgumentError } from "commander";
import type { CliIO } from "./io.ts";

/** A command module adds its command (and subcommands) to the program. */
export type CommandRegistrar = (program: Command, io: CliIO) => void;

/** Parse an integer option within a range (for commander's argParser). */
export function intOption(name: string, min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer ${min}..${max === Number.MAX_SAFE_INTEGER ? "" : max}, got "${value}"`);
    }
    return n;
  };
}

/** Parse a number option within a range (for commander's argParser). */
export function numberOption(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a number ${min}..${max}, got "${value}"`);
    }
    return n;
  };
}

export { Command };

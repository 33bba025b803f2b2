// SPDX-License-Identifier: Apache-2.0
// Runs an external hardware tool (verilator, yosys, nextpnr-ice40, icepack, iverilog, ...) and
// turns a missing or failing tool into a LociError E_TOOL with the install hint.

import { spawn } from "node:child_process";
import { LociError } from "../../sim/errors.ts";

/** The install hint shown when a hardware tool is missing. */
export const TOOL_INSTALL_HINT =
  "Run scripts/setup.sh (npm run setup): it installs verilator, yosys, nextpnr-ice40, fpga-icestorm and iverilog with apt-get.";

/** What a finished tool run produced. */
export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status (0 on success). */
  readonly code: number;
  /** Wall time of the run, in milliseconds. */
  readonly ms: number;
}

/** How to run a tool (all optional). */
export interface RunToolOptions {
  readonly cwd?: string;
  /** Kill the tool after this many milliseconds (default: no limit). */
  readonly timeoutMs?: number;
  /** Return a non-zero exit status instead of throwing. */
  readonly allowFailure?: boolean;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Short description for error messages, e.g. "yosys synthesis". */
  readonly what?: string;
}

/** Keep the last `max` characters of a tool's output for an error message. */
export function tail(text: string, maxLines = 20): string {
  const lines = text.trimEnd().split("\n");
  return lines.slice(-maxLines).join("\n");
}

/**
 * Run `cmd args...` and collect its output. Throws E_TOOL when the tool is not installed, when
 * it exits non-zero (unless `allowFailure`), or when it runs past `timeoutMs`.
 */
export function runTool(cmd: string, args: readonly string[], options: RunToolOptions = {}): Promise<ToolResult> {
  const what = options.what ?? cmd;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (s: string) => void (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => void (stderr += s));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      if (error.code === "ENOENT") {
        reject(
          new LociError("E_TOOL", `${cmd} is not installed (needed for ${what})`, {
            context: { tool: cmd },
            suggestion: TOOL_INSTALL_HINT,
            cause: error,
          }),
        );
      } else {
        reject(new LociError("E_TOOL", `${what}: cannot run ${cmd}: ${error.message}`, { context: { tool: cmd }, cause: error }));
      }
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const result: ToolResult = { stdout, stderr, code: code ?? 128, ms: Date.now() - started };
      if (timedOut) {
        reject(
          new LociError("E_TOOL", `${what}: ${cmd} did not finish within ${options.timeoutMs} ms`, {
            context: { tool: cmd, args: args.join(" ") },
          }),
        );
      } else if (result.code !== 0 && !options.allowFailure) {
        const output = tail(`${stdout}\n${stderr}`);
        reject(
          new LociError("E_TOOL", `${what} failed (${cmd} exited with ${signal ?? result.code}):\n${output}`, {
            context: { tool: cmd, args: args.join(" "), code: result.code },
            suggestion: "The tool's output above names the problem; rerun with the same sources to reproduce it.",
          }),
        );
      } else {
        resolve(result);
      }
    });
  });
}

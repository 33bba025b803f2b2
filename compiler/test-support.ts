// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the compiler's and the core image's tests.

import { LociError } from "../sim/errors.ts";

/** Run `run`, expecting it to throw a LociError; returns that error (any other outcome fails the test). */
export function errorOf(run: () => unknown): LociError {
  try {
    run();
  } catch (error) {
    if (error instanceof LociError) return error;
    throw error;
  }
  throw new Error("expected a LociError, but nothing was thrown");
}

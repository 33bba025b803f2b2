// SPDX-License-Identifier: Apache-2.0
// Unit tests live beside the code (*.test.ts); cross-layer suites (cosim, hil, e2e) live in test/.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{host,compiler,sim,test,bench,scripts}/**/*.test.ts"],
    exclude: ["node_modules/**", "build/**"],
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ["default"],
  },
});

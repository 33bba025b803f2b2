// SPDX-License-Identifier: Apache-2.0
// docs/protocol.md and test/fixtures/link/vectors.json must match what the code generates.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyBlocks, PROTOCOL_DOC, renderBlocks, renderVectors, VECTORS_FILE } from "./protocol-examples.ts";
import { MAX_PAYLOAD, DEFAULT_BAUD, DEFAULT_WINDOW, INTERBYTE_TIMEOUT_CLOCKS } from "./protocol.ts";

describe("docs/protocol.md", () => {
  const doc = readFileSync(PROTOCOL_DOC, "utf8");

  it("has every generated block up to date (run npm run gen:protocol-examples)", () => {
    expect(applyBlocks(doc, renderBlocks())).toBe(doc);
  });

  it("states the constants the code uses", () => {
    expect(doc).toContain(`LEN ≤ MAX_PAYLOAD\` (${MAX_PAYLOAD})`);
    expect(doc).toContain(`**${DEFAULT_BAUD.toLocaleString("en-US")}**`);
    expect(doc).toContain(`32 in the\ndefault build`);
    expect(DEFAULT_WINDOW).toBe(32);
    expect(doc).toContain(`\`2^18\` core clocks`);
    expect(INTERBYTE_TIMEOUT_CLOCKS).toBe(2 ** 18);
  });

  it("ships the shared test vectors", () => {
    expect(readFileSync(VECTORS_FILE, "utf8")).toBe(renderVectors());
  });
});

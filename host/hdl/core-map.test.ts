// SPDX-License-Identifier: Apache-2.0
// The core's host-interface headers are generated from host/hdl/core-map.ts: the files on disk
// must be exactly what the generator writes now, and the map must agree with the protocol's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_REG, COUNTER_REG, MEMORY, memoryMap } from "../driver/memory-map.ts";
import { STATUS_CODE } from "../driver/protocol.ts";
import { UP5K_CAPACITY } from "../../sim/spec.ts";
import { CORE_MAP_CXX_PATH, CORE_MAP_HEADER_PATH, MEM_PORT, coreMapConstants, renderCoreMapCxx, renderCoreMapHeader } from "./core-map.ts";
import { REPO_ROOT } from "./file-list.ts";

describe("core map headers", () => {
  it("hdl/rtl/loci_core_map.vh is up to date (run `npm run gen:core-map`)", () => {
    expect(readFileSync(join(REPO_ROOT, CORE_MAP_HEADER_PATH), "utf8")).toBe(renderCoreMapHeader());
  });

  it("hdl/tb/loci_core_map.h is up to date (run `npm run gen:core-map`)", () => {
    expect(readFileSync(join(REPO_ROOT, CORE_MAP_CXX_PATH), "utf8")).toBe(renderCoreMapCxx());
  });

  it("carries the protocol's memory ids, addresses and status codes", () => {
    const c = new Map(coreMapConstants());
    for (const [name, id] of Object.entries(MEMORY)) expect(c.get(`MEM_${name}`)).toBe(id);
    expect(c.get("CONFIG_LEARNING_HIGH")).toBe(CONFIG_REG.learningHigh);
    expect(c.get("COUNTER_STALL_CYCLES")).toBe(COUNTER_REG.stallCycles);
    expect(c.get("STATUS_BUSY")).toBe(STATUS_CODE.BUSY);
    expect(c.get("STATUS_RANGE")).toBe(STATUS_CODE.RANGE);
  });

  it("has a data port as wide as the widest memory word and an address port as deep as the deepest", () => {
    const map = memoryMap(UP5K_CAPACITY);
    expect(MEM_PORT.dataBits).toBe(Math.max(...map.map((g) => g.bits)));
    expect(2 ** MEM_PORT.addrBits).toBeGreaterThanOrEqual(Math.max(...map.map((g) => g.depth)));
    expect(2 ** MEM_PORT.idBits).toBeGreaterThan(Math.max(...map.map((g) => g.id)));
  });
});

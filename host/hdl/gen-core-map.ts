// SPDX-License-Identifier: Apache-2.0
// Writes hdl/rtl/loci_core_map.vh and hdl/tb/loci_core_map.h from host/hdl/core-map.ts.
import { writeFileSync } from "node:fs";
import { CORE_MAP_CXX_PATH, CORE_MAP_HEADER_PATH, renderCoreMapCxx, renderCoreMapHeader } from "./core-map.ts";

writeFileSync(CORE_MAP_HEADER_PATH, renderCoreMapHeader());
writeFileSync(CORE_MAP_CXX_PATH, renderCoreMapCxx());
console.log(`wrote ${CORE_MAP_HEADER_PATH} and ${CORE_MAP_CXX_PATH}`);

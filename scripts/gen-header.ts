// SPDX-License-Identifier: Apache-2.0
// Writes hdl/rtl/loci_spec.vh from sim/spec.ts.
import { writeFileSync } from "node:fs";
import { SPEC_HEADER_PATH, renderSpecHeader } from "../sim/spec-header.ts";

writeFileSync(SPEC_HEADER_PATH, renderSpecHeader());
console.log(`wrote ${SPEC_HEADER_PATH}`);

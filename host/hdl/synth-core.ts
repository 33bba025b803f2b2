// SPDX-License-Identifier: Apache-2.0
// `npm run synth:core`: synthesize loci_core for the iCE40UP5K (and place it at 24 MHz) and for
// the Artix-7 35T, and write hdl/syn/reports/core-ice40.json and core-xc7a35t.json.
import { CORE_ICE40_REPORT, CORE_XC7_REPORT, synthCore, writeCoreReports } from "./core-synth.ts";

const reports = await synthCore({ onLog: (line) => console.error(`synth:core: ${line}`) });
writeCoreReports(reports);
const r = reports.ice40.resources;
const p = reports.ice40.placed;
console.error(`synth:core: iCE40UP5K LUT4 ${r.luts} (${(100 * reports.ice40.utilization.luts).toFixed(1)} %), FF ${r.ffs}, EBR ${r.ebr}, SPRAM ${r.spram}, DSP ${r.dsp}` +
  (p === undefined ? "" : `; placed ${p.seeds.map((s) => `${s.logicCells} LC ${s.fmaxMhz} MHz`).join(", ")}`));
const x = reports.xc7.resources;
console.error(`synth:core: xc7a35t LUT ${x.luts}, FF ${x.ffs}, BRAM36 ${x.bram36}, DSP ${x.dsp} (NeuroCoreX: 6981 LUT, 30.5 BRAM)`);
console.log(JSON.stringify({ ice40: CORE_ICE40_REPORT, xc7: CORE_XC7_REPORT, fmaxMhz: p?.worstFmaxMhz ?? null }));

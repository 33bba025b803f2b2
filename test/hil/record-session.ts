// SPDX-License-Identifier: Apache-2.0
// Records the session captures of test/fixtures/link/ (a flash, a 12-step run and a counter read on
// the board model): `node --import tsx test/hil/record-session.ts`. host/driver/capture.test.ts decodes them.
import { writeFileSync } from "node:fs";
import { layoutMemories } from "../../sim/memory-layout.ts";
import { Board } from "../../host/driver/board.ts";
import { SimTransport } from "../../host/driver/sim-transport.ts";
import { randomNetwork } from "./random-network.ts";
const t = new SimTransport({ baud: Infinity });
const up: number[] = [];
const down: number[] = [];
t.onData((c) => up.push(...c));
const w = t.write.bind(t);
t.write = async (b) => { down.push(...b); return w(b); };
const board = await Board.open(t);
const net = randomNetwork({ neurons: 8, axons: 4, synapses: 30, seed: 4 });
const mem = layoutMemories(net);
await board.flash(mem);
await board.run(12, (s) => (s % 4 === 0 ? [s % 4, 1] : []));
await board.counters();
await board.close();
writeFileSync("test/fixtures/link/session-board-to-host.bin", Uint8Array.from(up));
writeFileSync("test/fixtures/link/session-host-to-board.bin", Uint8Array.from(down));
process.stdout.write(`${up.length} bytes board -> host, ${down.length} bytes host -> board\n`);

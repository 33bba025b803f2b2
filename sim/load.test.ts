// SPDX-License-Identifier: Apache-2.0
// loadNetwork: recognises files by their first bytes; new kinds plug in through LOADERS.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LOADERS, NETWORK_FILE_LOADER, loadNetwork, type NetworkLoader } from "./load.ts";
import { readNetworkFile } from "./network-file.ts";
import { layoutMemories } from "./memory-layout.ts";
import { Simulator } from "./simulator.ts";

const EXAMPLE = new URL("../examples/two-layer.net.json", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "loci-load-"));
const original = [...LOADERS];
afterEach(() => LOADERS.splice(0, LOADERS.length, ...original));

describe("loadNetwork", () => {
  it("loads a JSON network file, with sizes", () => {
    const loaded = loadNetwork(EXAMPLE);
    expect(loaded.format).toBe("network-file");
    expect([loaded.numNeurons, loaded.numAxons]).toEqual([20, 8]);
    expect(loaded.source).toEqual(readNetworkFile(EXAMPLE));
  });

  it("accepts leading blanks and a UTF-8 byte order mark", () => {
    const path = join(dir, "bom.net.json");
    writeFileSync(path, `\uFEFF\n  ${JSON.stringify({ format: "loci-network", version: 1, numAxons: 0, neurons: { count: 1 } })}`);
    expect(loadNetwork(path).numNeurons).toBe(1);
  });

  it("rejects bytes no loader recognises, naming the file and the first bytes", () => {
    const path = join(dir, "junk.bin");
    writeFileSync(path, Buffer.from([0x00, 0x01, 0x02, 0x03]));
    expect(() => loadNetwork(path)).toThrow(/junk\.bin: not a network file Loci knows \(known: network-file/);
  });

  it("a new file kind is one more entry in LOADERS (detected by magic bytes)", () => {
    const net = readNetworkFile(EXAMPLE);
    const fake: NetworkLoader = {
      format: "fake-image",
      detect: (bytes) => Buffer.from(bytes.subarray(0, 4)).toString("latin1") === "FAKE",
      load: () => layoutMemories(net),
    };
    LOADERS.push(fake);
    const path = join(dir, "x.loci");
    writeFileSync(path, "FAKE....");
    const loaded = loadNetwork(path);
    expect(loaded.format).toBe("fake-image");
    expect([loaded.numNeurons, loaded.numAxons]).toEqual([20, 8]);
    const a = new Simulator(loaded.source).run({ steps: 5, events: [[0, 1], [1, 2]] });
    const b = new Simulator(net).run({ steps: 5, events: [[0, 1], [1, 2]] });
    expect(a).toEqual(b);
    expect(NETWORK_FILE_LOADER.detect(Buffer.from("FAKE"))).toBe(false);
  });
});

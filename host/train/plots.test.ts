// SPDX-License-Identifier: Apache-2.0
// Pictures: PCA projection, the positions picture (panels, connections before/after pruning,
// colours by sign), rasters and board event files.
import { describe, expect, it } from "vitest";
import { parseEvents, positionsSvg, principalAxes, project2d, rasterSvg, type SpatialPicture } from "./plots.ts";
import { svgToPng } from "./svg.ts";

const pic: SpatialPicture = {
  name: "toy",
  dimensions: 3,
  layerAxis: true,
  populations: [
    { name: "input", positions: [[0, 0, 0], [1, 0, 0]], signs: [1, -1] },
    { name: "output", positions: [[0, 1, 1]] },
  ],
  projections: [{ from: "input", to: "output", pre: Int32Array.of(0, 1), post: Int32Array.of(0, 0), weight: Float64Array.of(1, -0.5), kept: Uint8Array.of(1, 0) }],
};

describe("pictures", () => {
  it("PCA finds the axis of largest spread first", () => {
    const { axes } = principalAxes([[0, 0, 0], [10, 1, 0], [-10, -1, 0], [0, 0, 0.1]]);
    expect(Math.abs(axes[0][0])).toBeGreaterThan(0.99);
    expect(Math.abs(axes[0].reduce((s, v, c) => s + v * axes[1][c], 0))).toBeLessThan(1e-6);
  });

  it("drops the layer axis and keeps 2 learned coordinates as they are", () => {
    const { points, method } = project2d(pic);
    expect(method).toBe("learned coordinates");
    expect(points).toEqual([[[0, 0], [1, 0]], [[0, 1]]]);
    const high = project2d({ ...pic, dimensions: 5, populations: pic.populations.map((p) => ({ ...p, positions: p.positions.map((x) => [x[0], x[1], 0, 3 * x[0], x[2]]) })) });
    expect(high.method).toBe("PCA of 4-D learned coordinates");
  });

  it("draws one panel per population, kept connections after pruning and all before", () => {
    const after = positionsSvg(pic, { connections: "after" });
    const before = positionsSvg(pic, { connections: "before" });
    expect(after.match(/<line /g)).toHaveLength(1);
    expect(before.match(/<line /g)).toHaveLength(2);
    expect(after).toContain("input (2)");
    expect(after).toContain("output (1)");
    expect(after).toContain('stroke="#c0392b"'); // excitatory source
    expect(before).toContain('stroke="#2471a3"'); // inhibitory source, pruned
    expect(svgToPng(after).subarray(1, 4).toString()).toBe("PNG");
  });

  it("rasters place spikes by step and neuron band; board event files parse or fail clearly", () => {
    const svg = rasterSvg([[0, 0], [3, 1]], { title: "t", steps: 4, groups: [{ name: "output", first: 0, size: 2 }] });
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(parseEvents({ spikes: [[1, 2]] })).toEqual([[1, 2]]);
    expect(parseEvents([[0, 0]])).toEqual([[0, 0]]);
    expect(() => parseEvents({ spikes: [[1, -2]] })).toThrow(/step, neuron/);
  });
});

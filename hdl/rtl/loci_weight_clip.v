// SPDX-License-Identifier: Apache-2.0
// A learned weight: w + delta (potentiation) or w - delta (depression), clipped to
// [wMin, wMax] in the order the simulator uses (below wMin -> wMin, else above wMax -> wMax).

`default_nettype none

`include "loci_spec.vh"

module loci_weight_clip #(
  // Width of the unsigned delta (loci_stdp_delta: 17 bits).
  parameter integer DeltaW = 17
) (
  input  wire signed [`LOCI_WEIGHT_W-1:0] weight_i,
  input  wire        [DeltaW-1:0]         delta_i,
  // 1 = weight + delta, 0 = weight - delta.
  input  wire                             potentiate_i,
  input  wire signed [`LOCI_WEIGHT_W-1:0] w_min_i,
  input  wire signed [`LOCI_WEIGHT_W-1:0] w_max_i,
  output wire signed [`LOCI_WEIGHT_W-1:0] weight_o
);

  // Wide enough for -128 - 131071 .. 127 + 131071.
  localparam integer SW = DeltaW + 2;

  wire signed [SW-1:0] w_ext    = {{(SW - `LOCI_WEIGHT_W){weight_i[`LOCI_WEIGHT_W-1]}}, weight_i};
  wire signed [SW-1:0] d_ext    = $signed({2'b00, delta_i});
  wire signed [SW-1:0] sum      = potentiate_i ? w_ext + d_ext : w_ext - d_ext;
  wire signed [SW-1:0] min_ext  = {{(SW - `LOCI_WEIGHT_W){w_min_i[`LOCI_WEIGHT_W-1]}}, w_min_i};
  wire signed [SW-1:0] max_ext  = {{(SW - `LOCI_WEIGHT_W){w_max_i[`LOCI_WEIGHT_W-1]}}, w_max_i};

  assign weight_o = (sum < min_ext) ? w_min_i
                  : (sum > max_ext) ? w_max_i
                  : sum[`LOCI_WEIGHT_W-1:0];

endmodule

`default_nettype wire

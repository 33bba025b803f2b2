// SPDX-License-Identifier: Apache-2.0
// STDP weight change of docs/core-spec.md section 3.2, combinational, clamped:
//   delta = min((amplitude * trace + (shift > 0 ? 2^(shift-1) : 0)) >> shift, 2^WEIGHT_W)
// A delta of 2^WEIGHT_W or more moves any weight past either clip limit, so the clamp never
// changes a clipped weight and keeps the adders after it short. Rounding half up is the last
// bit shifted out: with q = (2 * product) >> shift, the unclamped delta is (q >> 1) + q[0].
// The 8 x 8 product maps to one iCE40 SB_MAC16 with `synth_ice40 -dsp`.

`default_nettype none

`include "loci_spec.vh"

module loci_stdp_delta #(
  // Width of delta_o (derived; do not override): 0 .. 2^WEIGHT_W.
  parameter integer DeltaW = `LOCI_WEIGHT_W + 1
) (
  input  wire [`LOCI_LEARN_AMPLITUDE_W-1:0] amplitude_i,
  input  wire [`LOCI_TRACE_W-1:0]           trace_i,
  input  wire [`LOCI_LEARN_SHIFT_W-1:0]     shift_i,
  output wire [DeltaW-1:0]                  delta_o
);

  localparam integer ProdW = `LOCI_LEARN_AMPLITUDE_W + `LOCI_TRACE_W;
  localparam integer WW    = `LOCI_WEIGHT_W;

  initial begin
    if (DeltaW != WW + 1) begin
      $error("loci_stdp_delta: DeltaW is derived (%0d), got %0d", WW + 1, DeltaW);
      $finish;
    end
  end

  wire [ProdW-1:0] product = amplitude_i * trace_i;
  // q = (2 * product) >> shift: the result above bit 0, the rounding bit in bit 0.
  wire [ProdW:0]   q       = {product, 1'b0} >> shift_i;
  // Unclamped delta >= 2^WW exactly when q >> 1 has a bit at or above WW (q >> 1 <= 2^WW - 1
  // otherwise, and adding the rounding bit reaches at most 2^WW).
  wire             big     = (q[ProdW:WW+1] != {(ProdW - WW){1'b0}});
  wire [DeltaW-1:0] rounded = {1'b0, q[WW:1]} + {{(DeltaW - 1){1'b0}}, q[0]};

  assign delta_o = big ? {1'b1, {WW{1'b0}}} : rounded;

endmodule

`default_nettype wire

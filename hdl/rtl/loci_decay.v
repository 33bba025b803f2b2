// SPDX-License-Identifier: Apache-2.0
// One step of shift decay (docs/core-spec.md section 3.1), combinational:
//   decayed = x - decayAmount(x, shift),
//   decayAmount = shift == 15 ? 0 : (x + (x >= 0 ? 2^shift - 1 : 0)) >>> shift
// computed as z - (z >>> shift) with z = x - 1 for x >= 0 and z = x for x < 0: for x >= 1,
// ceil(x / 2^k) = ((x - 1) >> k) + 1; for x = 0, z = -1 gives -1 - (-1) = 0; for x < 0 the
// amount is x >>> k. A decrement, a shift and a subtract, no mask built from the shift.

`default_nettype none

`include "loci_spec.vh"

module loci_decay #(
  // Width of x and of the result (two's complement).
  parameter integer Width = 16
) (
  input  wire signed [Width-1:0]             x_i,
  input  wire        [`LOCI_TAU_SHIFT_W-1:0] shift_i,
  output wire signed [Width-1:0]             decayed_o
);

  localparam [`LOCI_TAU_SHIFT_W-1:0] NO_DECAY = `LOCI_TAU_NO_DECAY;

  // One more bit: x - 1 of the most negative x is not needed (z = x there), but x = 0 gives -1.
  wire signed [Width:0] x_ext = {x_i[Width-1], x_i};
  wire signed [Width:0] z     = x_i[Width-1] ? x_ext : x_ext - 1'b1;
  wire signed [Width:0] z_sh  = z >>> shift_i;
  wire signed [Width:0] diff  = z - z_sh;

  // |diff| <= |x|, so the low Width bits hold it exactly.
  assign decayed_o = (shift_i == NO_DECAY) ? x_i : diff[Width-1:0];
  wire unused_diff_sign = diff[Width];

endmodule

`default_nettype wire

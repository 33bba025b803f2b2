// SPDX-License-Identifier: Apache-2.0
// Shift decay amount of docs/core-spec.md section 3.1, combinational:
//   amount = shift == 15 ? 0 : (x + (x >= 0 ? 2^shift - 1 : 0)) >>> shift
// i.e. sign(x) * ceil(|x| / 2^shift), so a non-zero value always moves toward zero.

`default_nettype none

`include "loci_spec.vh"

module loci_decay #(
  // Width of x and of the result (two's complement).
  parameter integer Width = 16
) (
  input  wire signed [Width-1:0]             x_i,
  input  wire        [`LOCI_TAU_SHIFT_W-1:0] shift_i,
  output wire signed [Width-1:0]             amount_o
);

  localparam [`LOCI_TAU_SHIFT_W-1:0] NO_DECAY = `LOCI_TAU_NO_DECAY;
  // Internal width: holds x + 2^shift - 1 for the largest shift without overflow.
  localparam integer IW = ((Width > (1 << `LOCI_TAU_SHIFT_W)) ? Width : (1 << `LOCI_TAU_SHIFT_W)) + 1;

  // 2^shift - 1 for a non-negative x (rounds the magnitude up), 0 for a negative x
  // (the arithmetic shift already rounds toward minus infinity).
  wire        [IW-1:0] ones    = ~({IW{1'b1}} << shift_i);
  wire        [IW-1:0] bias    = x_i[Width-1] ? {IW{1'b0}} : ones;
  wire signed [IW-1:0] biased  = $signed({{(IW - Width){x_i[Width-1]}}, x_i}) + $signed(bias);
  wire signed [IW-1:0] shifted = biased >>> shift_i;

  // |shifted| <= |x|, so the low Width bits hold it exactly.
  assign amount_o = (shift_i == NO_DECAY) ? {Width{1'b0}} : shifted[Width-1:0];
  wire unused_shifted_hi = ^shifted[IW-1:Width];

endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// One step of shift decay of a 16-bit signed value (docs/core-spec.md section 3.1), registered,
// as one multiply-add and its register (an iCE40 SB_MAC16 with `synth_ice40 -dsp`, no fabric):
//   decayed = x - decayAmount(x, k) = x - sign(x) * ceil(|x| / 2^k)
//           = trunc(x * (2^k - 1) / 2^k)                 (rounded toward zero)
//           = (x * M + c) >>> 15,  M = 2^15 - 2^(15-k),  c = (x < 0) ? 2^15 - 1 : 0
// (adding 2^15 - 1 before the floor rounds a negative product up). k = 0 gives M = 0: cleared.
// No decay (k = 15, or hold_i) uses M = 2^15 - 1: x * (2^15 - 1) + c = x * 2^15 + (c - x) lies in
// [x * 2^15, x * 2^15 + 2^15) for c = (x >= 0) ? 2^15 - 1 : -1, so the result is x itself.
// |x * M| < 2^30: the signed 32-bit product never overflows.

`default_nettype none

`include "loci_spec.vh"

module loci_decay #(
  // Width of x and of the result (two's complement); the multiply-add is written for 16.
  parameter integer Width = 16
) (
  input  wire                                clk_i,
  // decayed_o takes the decay of x_i on a rising edge with ce_i.
  input  wire                                ce_i,
  input  wire signed [Width-1:0]             x_i,
  input  wire        [`LOCI_TAU_SHIFT_W-1:0] shift_i,
  // 1: no decay this step (the value passes unchanged, e.g. a held membrane).
  input  wire                                hold_i,
  output wire signed [Width-1:0]             decayed_o
);

  localparam [`LOCI_TAU_SHIFT_W-1:0] NO_DECAY = `LOCI_TAU_NO_DECAY;

  initial begin
    if (Width != 16 || NO_DECAY != 4'd15) begin
      $error("loci_decay: written for 16-bit values and shift 15 = no decay");
      $finish;
    end
  end

  // The effective shift: 15 when held.
  wire [3:0] k = shift_i | {4{hold_i}};
  // M = 2^15 - 2^(15-k): bits 14 .. 15-k set (a thermometer code of k); k = 15 sets bits 14..0.
  reg  [15:0] m;
  integer i;
  always @(*) begin
    m[15] = 1'b0;
    for (i = 0; i < 15; i = i + 1) m[i] = ({1'b0, k} >= 5'd15 - i[4:0]);
  end
  wire        keep = (k == NO_DECAY);
  wire signed [31:0] c = {{17{x_i[15] & keep}}, {15{x_i[15] | keep}}};
  wire signed [31:0] p = x_i * $signed(m) + c;
  // The whole sum is registered (why: then it is the DSP's own output register, no fabric).
  reg  signed [31:0] p_q;
  always @(posedge clk_i) if (ce_i) p_q <= p;

  assign decayed_o = p_q[30:15];
  wire unused_p = ^{p_q[31], p_q[14:0]};

endmodule

`default_nettype wire

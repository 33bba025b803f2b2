// SPDX-License-Identifier: Apache-2.0
// Shift decay of an STDP trace (unsigned 8 bits), registered, as one multiply-add and its
// register (an iCE40 SB_MAC16 with `synth_ice40 -dsp`, no fabric): for x >= 0,
//   x - decayAmount(x, k) = x - ceil(x / 2^k) = floor(x * (2^k - 1) / 2^k) = (x * M + c) >> 8
// with M = 2^8 - 2^(8-k) for k <= 8 (k = 0: M = 0, cleared), M = 255 for k = 9..14 (the amount
// is 1 for any non-zero trace, as for k = 8), c = 0; no decay (k = 15) is M = 255, c = 255
// (x * 255 + 255 = (x + 1) * 256 - 1).

`default_nettype none

`include "loci_spec.vh"

module loci_trace_decay (
  input  wire                         clk_i,
  // decayed_o takes the decay of x_i on a rising edge with ce_i.
  input  wire                         ce_i,
  input  wire [`LOCI_TRACE_W-1:0]     x_i,
  input  wire [`LOCI_TAU_SHIFT_W-1:0] shift_i,
  output wire [`LOCI_TRACE_W-1:0]     decayed_o
);

  localparam integer TW = `LOCI_TRACE_W;
  localparam [`LOCI_TAU_SHIFT_W-1:0] NO_DECAY = `LOCI_TAU_NO_DECAY;

  initial begin
    if (TW != 8 || `LOCI_TAU_SHIFT_W != 4 || NO_DECAY != 4'd15) begin
      $error("loci_trace_decay: written for 8-bit traces, 4-bit shifts and shift 15 = no decay");
      $finish;
    end
  end

  // M: bits 7 .. 8-k set (a thermometer code of k, all set from k = 8 on).
  reg [TW-1:0] m;
  integer i;
  always @(*) begin
    for (i = 0; i < TW; i = i + 1) m[i] = ({1'b0, shift_i} >= 5'd8 - i[4:0]);
  end
  wire [TW-1:0]   c = {TW{shift_i == NO_DECAY}};
  wire [2*TW-1:0] p = x_i * m + {{TW{1'b0}}, c};
  // The whole sum is registered (why: then it is the DSP's own output register, no fabric).
  reg  [2*TW-1:0] p_q;
  always @(posedge clk_i) if (ce_i) p_q <= p;

  assign decayed_o = p_q[2*TW-1:TW];
  wire unused_p = ^p_q[TW-1:0];

endmodule

`default_nettype wire

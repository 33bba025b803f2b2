// SPDX-License-Identifier: Apache-2.0
// Shift decay of an STDP trace (unsigned 8 bits), combinational: the trace after one step,
//   x - decayAmount(x, shift),  decayAmount = shift == 15 ? 0 : (x + 2^shift - 1) >> shift
// as loci_decay for a non-negative value, but narrow: for shift >= 8 the amount is 1 for any
// non-zero trace, so only shifts 0..7 need the shifter.

`default_nettype none

`include "loci_spec.vh"

module loci_trace_decay (
  input  wire [`LOCI_TRACE_W-1:0]     x_i,
  input  wire [`LOCI_TAU_SHIFT_W-1:0] shift_i,
  output wire [`LOCI_TRACE_W-1:0]     decayed_o
);

  localparam integer TW = `LOCI_TRACE_W;
  localparam [`LOCI_TAU_SHIFT_W-1:0] NO_DECAY = `LOCI_TAU_NO_DECAY;

  initial begin
    if (TW != 8 || `LOCI_TAU_SHIFT_W != 4) begin
      $error("loci_trace_decay: written for 8-bit traces and 4-bit shifts");
      $finish;
    end
  end

  // For x >= 1: ceil(x / 2^k) = ((x - 1) >> k) + 1, so x - ceil(x / 2^k) = y - (y >> k) with
  // y = x - 1: a decrement, a shift and a subtract, no mask built from the shift.
  wire [TW-1:0] y       = x_i - 1'b1;
  wire [TW-1:0] y_shift = y >> shift_i[2:0];
  assign decayed_o = (x_i == {TW{1'b0}} || shift_i == NO_DECAY) ? x_i
                   : shift_i[3] ? y
                   : y - y_shift;

endmodule

`default_nettype wire

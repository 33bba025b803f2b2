// SPDX-License-Identifier: Apache-2.0
// STDP weight change of docs/core-spec.md section 3.2, combinational:
//   delta = (amplitude * trace + (shift > 0 ? 2^(shift-1) : 0)) >> shift    (round half up)
// The 8 x 8 product maps to one iCE40 SB_MAC16 with `synth_ice40 -dsp`.

`default_nettype none

`include "loci_spec.vh"

module loci_stdp_delta #(
  // Width of delta_o (derived; do not override): the product plus one rounding bit.
  parameter integer DeltaW = `LOCI_LEARN_AMPLITUDE_W + `LOCI_TRACE_W + 1
) (
  input  wire [`LOCI_LEARN_AMPLITUDE_W-1:0] amplitude_i,
  input  wire [`LOCI_TRACE_W-1:0]           trace_i,
  input  wire [`LOCI_LEARN_SHIFT_W-1:0]     shift_i,
  // 0 .. 65025 (a shift of 0 passes the whole product).
  output wire [DeltaW-1:0]                  delta_o
);

  localparam integer ProdW = `LOCI_LEARN_AMPLITUDE_W + `LOCI_TRACE_W;

  initial begin
    if (DeltaW != ProdW + 1) begin
      $error("loci_stdp_delta: DeltaW is derived (%0d), got %0d", ProdW + 1, DeltaW);
      $finish;
    end
  end

  wire [ProdW-1:0]  product = amplitude_i * trace_i;
  // The rounding constant: 2^(shift-1), or 0 for shift 0.
  wire [DeltaW-1:0] one     = {{(DeltaW - 1){1'b0}}, 1'b1};
  wire [DeltaW-1:0] half    = (shift_i == {`LOCI_LEARN_SHIFT_W{1'b0}}) ? {DeltaW{1'b0}}
                                                                       : one << (shift_i - 1'b1);
  wire [DeltaW-1:0] rounded = {1'b0, product} + half;

  assign delta_o = rounded >> shift_i;

endmodule

`default_nettype wire

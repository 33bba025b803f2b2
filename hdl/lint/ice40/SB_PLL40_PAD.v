// SPDX-License-Identifier: Apache-2.0
// Simulation stand-in for the iCE40 SB_PLL40_PAD on the virtual board: a Verilated design has
// no analog PLL, so the harness drives the pad with the core clock itself and this model
// passes it through, raising LOCK after 64 clocks (so the top's reset sequence still runs).

`default_nettype none

module SB_PLL40_PAD #(
  parameter FEEDBACK_PATH = "SIMPLE",
  parameter [3:0] DIVR = 4'd0,
  parameter [6:0] DIVF = 7'd0,
  parameter [2:0] DIVQ = 3'd0,
  parameter [2:0] FILTER_RANGE = 3'd0
) (
  input  wire       PACKAGEPIN,
  output wire       PLLOUTCORE,
  output wire       PLLOUTGLOBAL,
  input  wire       EXTFEEDBACK,
  input  wire [7:0] DYNAMICDELAY,
  output wire       LOCK,
  input  wire       BYPASS,
  input  wire       RESETB,
  input  wire       LATCHINPUTVALUE,
  output wire       SDO,
  input  wire       SDI,
  input  wire       SCLK
);
  assign PLLOUTCORE   = PACKAGEPIN;
  assign PLLOUTGLOBAL = PACKAGEPIN;
  assign SDO          = 1'b0;

  // Lock after 64 clocks of the pass-through clock.
  reg [6:0] lock_cnt_q = 7'd0;
  always @(posedge PACKAGEPIN) begin
    if (!RESETB) lock_cnt_q <= 7'd0;
    else if (!lock_cnt_q[6]) lock_cnt_q <= lock_cnt_q + 1'b1;
  end
  assign LOCK = lock_cnt_q[6];

  // The stand-in ignores the divider settings and the unused inputs.
  wire unused = &{1'b0, EXTFEEDBACK, DYNAMICDELAY, BYPASS, LATCHINPUTVALUE, SDI, SCLK, DIVR, DIVF, DIVQ,
                  FILTER_RANGE, 1'b0};
endmodule

`default_nettype wire

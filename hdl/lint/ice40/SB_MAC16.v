// SPDX-License-Identifier: Apache-2.0
// Simulation stand-in for the iCE40UP5K DSP block (SB_MAC16) in the one configuration the core
// instantiates (loci_counter "ice40"): a 32-bit accumulator, O = {top, bottom} where the bottom
// half adds B and the top half adds A plus the bottom adder's carry (the adders' registered
// outputs, accumulator feedback), OLOAD loads {C, D}, OHOLD holds, ORST resets asynchronously.
// Any other configuration stops elaboration. Simulation only (the virtual board); synthesis uses
// the real primitive.

`default_nettype none

module SB_MAC16 #(
  parameter [0:0] NEG_TRIGGER = 1'b0,
  parameter [0:0] C_REG = 1'b0,
  parameter [0:0] A_REG = 1'b0,
  parameter [0:0] B_REG = 1'b0,
  parameter [0:0] D_REG = 1'b0,
  parameter [0:0] TOP_8x8_MULT_REG = 1'b0,
  parameter [0:0] BOT_8x8_MULT_REG = 1'b0,
  parameter [0:0] PIPELINE_16x16_MULT_REG1 = 1'b0,
  parameter [0:0] PIPELINE_16x16_MULT_REG2 = 1'b0,
  parameter [1:0] TOPOUTPUT_SELECT = 2'b00,
  parameter [1:0] TOPADDSUB_LOWERINPUT = 2'b00,
  parameter [0:0] TOPADDSUB_UPPERINPUT = 1'b0,
  parameter [1:0] TOPADDSUB_CARRYSELECT = 2'b00,
  parameter [1:0] BOTOUTPUT_SELECT = 2'b00,
  parameter [1:0] BOTADDSUB_LOWERINPUT = 2'b00,
  parameter [0:0] BOTADDSUB_UPPERINPUT = 1'b0,
  parameter [1:0] BOTADDSUB_CARRYSELECT = 2'b00,
  parameter [0:0] MODE_8x8 = 1'b0,
  parameter [0:0] A_SIGNED = 1'b0,
  parameter [0:0] B_SIGNED = 1'b0
) (
  input  wire        CLK,
  input  wire        CE,
  input  wire [15:0] C,
  input  wire [15:0] A,
  input  wire [15:0] B,
  input  wire [15:0] D,
  input  wire        AHOLD,
  input  wire        BHOLD,
  input  wire        CHOLD,
  input  wire        DHOLD,
  input  wire        IRSTTOP,
  input  wire        IRSTBOT,
  input  wire        ORSTTOP,
  input  wire        ORSTBOT,
  input  wire        OLOADTOP,
  input  wire        OLOADBOT,
  input  wire        ADDSUBTOP,
  input  wire        ADDSUBBOT,
  input  wire        OHOLDTOP,
  input  wire        OHOLDBOT,
  input  wire        CI,
  input  wire        ACCUMCI,
  input  wire        SIGNEXTIN,
  output wire [31:0] O,
  output wire        CO,
  output wire        ACCUMCO,
  output wire        SIGNEXTOUT
);
  // The accumulator configuration, as loci_counter sets it.
  localparam [25:0] Config = {NEG_TRIGGER, C_REG, A_REG, B_REG, D_REG, TOP_8x8_MULT_REG, BOT_8x8_MULT_REG,
                              PIPELINE_16x16_MULT_REG1, PIPELINE_16x16_MULT_REG2, TOPOUTPUT_SELECT,
                              TOPADDSUB_LOWERINPUT, TOPADDSUB_UPPERINPUT, TOPADDSUB_CARRYSELECT, BOTOUTPUT_SELECT,
                              BOTADDSUB_LOWERINPUT, BOTADDSUB_UPPERINPUT, BOTADDSUB_CARRYSELECT, MODE_8x8,
                              A_SIGNED, B_SIGNED};
  localparam [25:0] Accumulator = {9'd0, 2'b01, 2'b00, 1'b0, 2'b10, 2'b01, 2'b00, 1'b0, 2'b00, 1'b0, 1'b0, 1'b0};
  initial begin
    if (Config != Accumulator) begin
      $error("SB_MAC16 stand-in: only the 32-bit accumulator configuration of loci_counter is modelled");
      $finish;
    end
  end

  reg [15:0] top_q, bot_q;
  wire [16:0] bot_sum = {1'b0, bot_q} + {1'b0, B};
  wire [16:0] top_sum = {1'b0, top_q} + {1'b0, A} + {16'd0, bot_sum[16]};
  always @(posedge CLK or posedge ORSTBOT) begin
    if (ORSTBOT) bot_q <= 16'd0;
    else if (CE && !OHOLDBOT) bot_q <= OLOADBOT ? D : bot_sum[15:0];
  end
  always @(posedge CLK or posedge ORSTTOP) begin
    if (ORSTTOP) top_q <= 16'd0;
    else if (CE && !OHOLDTOP) top_q <= OLOADTOP ? C : top_sum[15:0];
  end
  assign O          = {top_q, bot_q};
  assign CO         = top_sum[16];
  assign ACCUMCO    = top_sum[16];
  assign SIGNEXTOUT = top_q[15];
  // Inputs of other configurations.
  wire unused_ok = ^{AHOLD, BHOLD, CHOLD, DHOLD, IRSTTOP, IRSTBOT, ADDSUBTOP, ADDSUBBOT, CI, ACCUMCI, SIGNEXTIN};
endmodule

`default_nettype wire

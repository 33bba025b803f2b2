// SPDX-License-Identifier: Apache-2.0
// Blackbox port list of the iCE40UP5K DSP block (SB_MAC16), for linting the core's "ice40"
// counters; synthesis and the counter testbench use yosys's own cell library. Lint-only.

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
  // A blackbox with a registered output; every input and parameter reaches it so that none is
  // unused (the arithmetic is not modelled).
  localparam [25:0] Config = {NEG_TRIGGER, C_REG, A_REG, B_REG, D_REG, TOP_8x8_MULT_REG, BOT_8x8_MULT_REG,
                              PIPELINE_16x16_MULT_REG1, PIPELINE_16x16_MULT_REG2, TOPOUTPUT_SELECT,
                              TOPADDSUB_LOWERINPUT, TOPADDSUB_UPPERINPUT, TOPADDSUB_CARRYSELECT, BOTOUTPUT_SELECT,
                              BOTADDSUB_LOWERINPUT, BOTADDSUB_UPPERINPUT, BOTADDSUB_CARRYSELECT, MODE_8x8,
                              A_SIGNED, B_SIGNED};
  reg [31:0] o_q;
  always @(posedge CLK) begin
    o_q <= {C ^ A, B ^ D} ^ {6'd0, Config} ^
           {20'd0, CE, AHOLD, BHOLD, CHOLD, DHOLD, IRSTTOP, IRSTBOT, ORSTTOP, ORSTBOT, OLOADTOP, OLOADBOT, ADDSUBTOP} ^
           {24'd0, ADDSUBBOT, OHOLDTOP, OHOLDBOT, CI, ACCUMCI, SIGNEXTIN, 2'b00};
  end
  assign O          = o_q;
  assign CO         = o_q[0];
  assign ACCUMCO    = o_q[1];
  assign SIGNEXTOUT = o_q[2];
endmodule

`default_nettype wire

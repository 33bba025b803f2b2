// SPDX-License-Identifier: Apache-2.0
// A 32-bit event counter (the COUNTERS words of docs/core-spec.md section 9.2): +1 on a rising
// edge with inc_i, cleared by clear_i (synchronous) and rst_ni (asynchronous), wraps at 2^32.
// Target "ice40" holds it in an iCE40UP5K SB_MAC16 used as a 32-bit accumulator (the two 16-bit
// adders chained, B = inc_i, the load path for the clear), so the counter takes no logic cells;
// "generic" is the same counter in fabric (simulation, other FPGAs).

`default_nettype none

module loci_counter #(
  // "generic" or "ice40", as an 8-character string.
  parameter [63:0] Target = "generic"
) (
  input  wire        clk_i,
  input  wire        rst_ni,
  input  wire        clear_i,
  input  wire        inc_i,
  output wire [31:0] count_o
);

  localparam [63:0] TargetGeneric = "generic";
  localparam [63:0] TargetIce40   = "ice40";

  initial begin
    if (Target != TargetGeneric && Target != TargetIce40) begin
      $error("loci_counter: Target must be \"generic\" or \"ice40\"");
      $finish;
    end
  end

  generate
    if (Target == TargetIce40) begin : g_dsp
      wire co, accum_co, sign_ext;
      // O = {Q_top + A + carry, Q_bot + B}: A = 0, B = inc_i, the bottom adder's carry into the
      // top one; OLOAD loads C, D = 0 (the clear); ORST is the asynchronous reset.
      SB_MAC16 #(
        .NEG_TRIGGER(1'b0),
        .C_REG(1'b0), .A_REG(1'b0), .B_REG(1'b0), .D_REG(1'b0),
        .TOP_8x8_MULT_REG(1'b0), .BOT_8x8_MULT_REG(1'b0),
        .PIPELINE_16x16_MULT_REG1(1'b0), .PIPELINE_16x16_MULT_REG2(1'b0),
        .TOPOUTPUT_SELECT(2'b01), .TOPADDSUB_LOWERINPUT(2'b00), .TOPADDSUB_UPPERINPUT(1'b0),
        .TOPADDSUB_CARRYSELECT(2'b10),
        .BOTOUTPUT_SELECT(2'b01), .BOTADDSUB_LOWERINPUT(2'b00), .BOTADDSUB_UPPERINPUT(1'b0),
        .BOTADDSUB_CARRYSELECT(2'b00),
        .MODE_8x8(1'b0), .A_SIGNED(1'b0), .B_SIGNED(1'b0)
      ) u_mac (
        .CLK       (clk_i),
        .CE        (1'b1),
        .C         (16'd0),
        .A         (16'd0),
        .B         ({15'd0, inc_i}),
        .D         (16'd0),
        .AHOLD     (1'b0),
        .BHOLD     (1'b0),
        .CHOLD     (1'b0),
        .DHOLD     (1'b0),
        .IRSTTOP   (1'b0),
        .IRSTBOT   (1'b0),
        .ORSTTOP   (!rst_ni),
        .ORSTBOT   (!rst_ni),
        .OLOADTOP  (clear_i),
        .OLOADBOT  (clear_i),
        .ADDSUBTOP (1'b0),
        .ADDSUBBOT (1'b0),
        .OHOLDTOP  (1'b0),
        .OHOLDBOT  (1'b0),
        .CI        (1'b0),
        .ACCUMCI   (1'b0),
        .SIGNEXTIN (1'b0),
        .O         (count_o),
        .CO        (co),
        .ACCUMCO   (accum_co),
        .SIGNEXTOUT(sign_ext)
      );
      wire unused_ok = ^{co, accum_co, sign_ext};
    end else begin : g_fabric
      reg [31:0] count_q;
      always @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) count_q <= 32'd0;
        else if (clear_i) count_q <= 32'd0;
        else if (inc_i) count_q <= count_q + 1'b1;
      end
      assign count_o = count_q;
    end
  endgenerate

endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Core clock for an iCE40 board: SB_PLL40_PAD from the 12 MHz oscillator pad, settings from
// `icepll -i 12 -o <MHz>` for the supported core clocks, plus a synchronised active-low reset
// that holds until the PLL has locked and the reset button is released.

`default_nettype none

module loci_pll_ice40 #(
  // Core clock, Hz: 24, 30, 36 or 48 MHz from a 12 MHz oscillator.
  parameter integer ClkHz = 24_000_000
) (
  // The oscillator pad (must be a PLL input pad: iCEBreaker pin 35).
  input  wire clk_pad_i,
  // Reset request, active low, asynchronous (the user button).
  input  wire rst_req_ni,
  // Core clock and its reset: low until 16 clocks after lock and button release.
  output wire clk_o,
  output wire rst_no
);

  // icepll -i 12 -o F: F_PFD = 12 MHz (DIVR 0), F_VCO = 12 * (DIVF + 1) MHz,
  // F_OUT = F_VCO / 2^DIVQ, FILTER_RANGE 1.
  localparam [6:0] DIVF = (ClkHz == 24_000_000) ? 7'd63 :
                          (ClkHz == 30_000_000) ? 7'd79 :
                          (ClkHz == 36_000_000) ? 7'd47 : 7'd63;
  localparam [2:0] DIVQ = (ClkHz == 24_000_000) ? 3'd5 :
                          (ClkHz == 30_000_000) ? 3'd5 : 3'd4;

  initial begin
    if (ClkHz != 24_000_000 && ClkHz != 30_000_000 && ClkHz != 36_000_000 && ClkHz != 48_000_000) begin
      $error("loci_pll_ice40: ClkHz = %0d; supported: 24, 30, 36, 48 MHz (add the icepll settings)", ClkHz);
      $finish;
    end
  end

  wire locked, pllout_core_unused, sdo_unused;
  SB_PLL40_PAD #(
    .FEEDBACK_PATH("SIMPLE"),
    .DIVR(4'b0000),
    .DIVF(DIVF),
    .DIVQ(DIVQ),
    .FILTER_RANGE(3'b001)
  ) u_pll (
    .PACKAGEPIN(clk_pad_i),
    .PLLOUTCORE(pllout_core_unused),
    .PLLOUTGLOBAL(clk_o),
    .EXTFEEDBACK(1'b0),
    .DYNAMICDELAY(8'd0),
    .LOCK(locked),
    .BYPASS(1'b0),
    .RESETB(1'b1),
    .LATCHINPUTVALUE(1'b0),
    .SDO(sdo_unused),
    .SDI(1'b0),
    .SCLK(1'b0)
  );

  // Release reset 16 clocks after lock and button release, synchronously to clk_o; assert it
  // at once (asynchronously) when either goes away. The counter's top bit is the reset.
  wire arst_n = locked & rst_req_ni;
  reg [4:0] hold_q;
  always @(posedge clk_o or negedge arst_n) begin
    if (!arst_n) hold_q <= 5'd0;
    else if (!hold_q[4]) hold_q <= hold_q + 1'b1;
  end
  assign rst_no = hold_q[4];

endmodule

`default_nettype wire

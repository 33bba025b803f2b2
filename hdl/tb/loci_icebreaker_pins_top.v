// SPDX-License-Identifier: Apache-2.0
// A small top with the iCEBreaker top's pins and its PLL (loci_pll_ice40): the board flow test
// places and routes it to check the pin constraints and the PLL settings on the real device
// while the full top does not fit. The UART loops back; the green LED blinks from the PLL clock.

`default_nettype none

module loci_icebreaker_pins_top (
  input  wire clk_osc_i,
  input  wire btn_ni,
  input  wire uart_rx_i,
  output wire uart_tx_o,
  output wire led_red_no,
  output wire led_green_no
);
  wire clk, rst_n;
  loci_pll_ice40 #(.ClkHz(24_000_000)) u_pll (
    .clk_pad_i (clk_osc_i),
    .rst_req_ni(btn_ni),
    .clk_o     (clk),
    .rst_no    (rst_n)
  );

  // Blink: bit 23 of a counter of the 24 MHz core clock toggles every 0.35 s.
  reg [23:0] blink_q;
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) blink_q <= 24'd0;
    else blink_q <= blink_q + 1'b1;
  end

  assign uart_tx_o    = uart_rx_i;
  assign led_green_no = blink_q[23];
  assign led_red_no   = rst_n;
endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// A trivial board top for the virtual-board harness: every byte received on the UART is sent
// back. It has the pins of loci_top_icebreaker, so it proves the chain host serialport <-> pty
// <-> bit-level UART model <-> Verilated RTL UART before the real top is in place.

`default_nettype none

module loci_echo_top #(
  parameter integer ClkHz = 24_000_000,
  parameter integer Baud = 3_000_000
) (
  input  wire clk_osc_i,
  input  wire btn_ni,
  input  wire uart_rx_i,
  output wire uart_tx_o,
  output wire led_red_no,
  output wire led_green_no
);

  // Power-on reset: held for 16 cycles after configuration, or while the button is pressed.
  reg [4:0] por_q = 5'd0;
  always @(posedge clk_osc_i) begin
    if (!btn_ni) por_q <= 5'd0;
    else if (!por_q[4]) por_q <= por_q + 1'b1;
  end
  wire rst_n = por_q[4];

  wire [7:0] rx_data;
  wire rx_valid, rx_frame_err;
  wire [7:0] tx_data;
  wire tx_valid, tx_ready;
  wire fifo_wready;
  wire [4:0] fifo_level;

  loci_uart #(.ClkHz(ClkHz), .Baud(Baud)) u_uart (
    .clk_i(clk_osc_i), .rst_ni(rst_n), .rx_i(uart_rx_i), .tx_o(uart_tx_o),
    .rx_data_o(rx_data), .rx_valid_o(rx_valid), .rx_frame_err_o(rx_frame_err),
    .tx_data_i(tx_data), .tx_valid_i(tx_valid), .tx_ready_o(tx_ready)
  );

  loci_link_fifo #(.Width(8), .Depth(16)) u_fifo (
    .clk_i(clk_osc_i), .rst_ni(rst_n), .clear_i(1'b0), .wdata_i(rx_data), .wvalid_i(rx_valid), .wready_o(fifo_wready),
    .rdata_o(tx_data), .rvalid_o(tx_valid), .rready_i(tx_ready), .level_o(fifo_level)
  );

  // Red: a framing error or an overflow was seen (sticky until reset).
  reg err_q;
  always @(posedge clk_osc_i or negedge rst_n) begin
    if (!rst_n) err_q <= 1'b0;
    else if (rx_frame_err || (rx_valid && !fifo_wready)) err_q <= 1'b1;
  end
  assign led_red_no = ~err_q;
  assign led_green_no = ~rst_n;

  // For the harness: nothing is in flight, so idle cycles may be skipped.
  wire board_idle = rst_n && !tx_valid && fifo_level == 0 && tx_ready;

endmodule

`default_nettype wire

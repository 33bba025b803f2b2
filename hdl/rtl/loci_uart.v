// SPDX-License-Identifier: Apache-2.0
// UART (8N1) receiver + transmitter sharing one baud-rate divider derived from parameters:
// clocks per bit = round(ClkHz / Baud), checked at elaboration to be within 2 % of the baud.

`default_nettype none

module loci_uart #(
  // Core clock frequency in Hz.
  parameter integer ClkHz = 24_000_000,
  // Line rate in baud (bits per second); 8N1 carries Baud / 10 bytes per second.
  parameter integer Baud = 3_000_000
) (
  input  wire       clk_i,
  input  wire       rst_ni,
  // Serial pins: rx_i idles high (asynchronous), tx_o idles high.
  input  wire       rx_i,
  output wire       tx_o,
  // Received bytes: one-cycle pulses, no backpressure (a UART cannot wait).
  output wire [7:0] rx_data_o,
  output wire       rx_valid_o,
  output wire       rx_frame_err_o,
  // Bytes to send: valid/ready.
  input  wire [7:0] tx_data_i,
  input  wire       tx_valid_i,
  output wire       tx_ready_o
);

  // The divider: both directions count the same number of clocks per bit.
  localparam integer ClksPerBit = (ClkHz + Baud / 2) / Baud;
  // |actual - wanted| bit rate, scaled: actual rate = ClkHz / ClksPerBit.
  localparam integer RateErr = (ClksPerBit * Baud > ClkHz) ? ClksPerBit * Baud - ClkHz
                                                            : ClkHz - ClksPerBit * Baud;

  initial begin
    if (Baud <= 0 || ClkHz < 4 * Baud) begin
      $error("loci_uart: ClkHz = %0d is below 4 clocks per bit at Baud = %0d", ClkHz, Baud);
      $finish;
    end
    if (RateErr * 50 > ClkHz) begin
      $error("loci_uart: ClkHz / Baud = %0d / %0d is not within 2 %% of an integer", ClkHz, Baud);
      $finish;
    end
  end

  loci_uart_rx #(
    .ClksPerBit(ClksPerBit)
  ) u_rx (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .rx_i       (rx_i),
    .data_o     (rx_data_o),
    .valid_o    (rx_valid_o),
    .frame_err_o(rx_frame_err_o)
  );

  loci_uart_tx #(
    .ClksPerBit(ClksPerBit)
  ) u_tx (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .data_i (tx_data_i),
    .valid_i(tx_valid_i),
    .ready_o(tx_ready_o),
    .tx_o   (tx_o)
  );

endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// UART transmitter, 8N1, with a valid/ready byte input: sends start bit, 8 data bits LSB
// first and one stop bit; accepts the next byte in the stop bit's last cycle, so bytes go
// out back to back at the full line rate.

`default_nettype none

module loci_uart_tx #(
  // Core clock cycles per bit (core clock / baud), at least 4. loci_uart computes it.
  parameter integer ClksPerBit = 24
) (
  input  wire       clk_i,
  input  wire       rst_ni,
  // Byte to send; taken when valid_i && ready_o.
  input  wire [7:0] data_i,
  input  wire       valid_i,
  output wire       ready_o,
  // Serial line, idle high.
  output wire       tx_o
);

  localparam integer CntW = $clog2(ClksPerBit);
  localparam [CntW-1:0] FULL_BIT = CntW'(ClksPerBit - 1);

  initial begin
    if (ClksPerBit < 4) begin
      $error("loci_uart_tx: ClksPerBit = %0d, need at least 4 clocks per bit", ClksPerBit);
      $finish;
    end
  end

  // Bits still to send, LSB on the line: {stop, data[7:0], start}. Reset to all ones so the
  // line idles high. Registered output: tx_o never glitches.
  reg [9:0] shift_q;
  // Bits left in the frame including the one on the line (0 = idle).
  reg [3:0] bits_left_q;
  // Cycles left in the current bit.
  reg [CntW-1:0] cnt_q;

  // Free when idle, or in the last cycle of the stop bit (back-to-back bytes).
  assign ready_o = (bits_left_q == 4'd0) || (bits_left_q == 4'd1 && cnt_q == 0);
  assign tx_o    = shift_q[0];

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      shift_q     <= 10'h3ff;
      bits_left_q <= 4'd0;
      cnt_q       <= '0;
    end else if (valid_i && ready_o) begin
      shift_q     <= {1'b1, data_i, 1'b0};
      bits_left_q <= 4'd10;
      cnt_q       <= FULL_BIT;
    end else if (bits_left_q != 4'd0) begin
      if (cnt_q != 0) begin
        cnt_q <= cnt_q - 1'b1;
      end else begin
        shift_q     <= {1'b1, shift_q[9:1]};
        bits_left_q <= bits_left_q - 1'b1;
        cnt_q       <= FULL_BIT;
      end
    end
  end

endmodule

`default_nettype wire

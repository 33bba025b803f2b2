// SPDX-License-Identifier: Apache-2.0
// UART receiver, 8N1: 2-FF synchroniser, mid-bit majority-of-3 sampling, start-bit glitch
// rejection, framing-error detection, and resynchronisation on the next idle line after a bad
// stop bit.

`default_nettype none

module loci_uart_rx #(
  // Core clock cycles per bit (core clock / baud), at least 4. loci_uart computes it.
  parameter integer ClksPerBit = 24
) (
  input  wire       clk_i,
  input  wire       rst_ni,
  // Serial line, idle high, asynchronous to clk_i.
  input  wire       rx_i,
  // One-cycle pulse with the received byte (stop bit was high).
  output reg  [7:0] data_o,
  output reg        valid_o,
  // One-cycle pulse: a byte ended with a low stop bit (its data is discarded).
  output reg        frame_err_o
);

  localparam integer CntW = $clog2(ClksPerBit);
  localparam [CntW-1:0] FULL_BIT = CntW'(ClksPerBit - 1);
  // From the start edge (seen through the synchroniser 2..3 clocks late) to the end of the
  // start bit's majority window, which is centred half a clock before the bit's mean middle:
  // the early side leaves the stop bit sooner, so back-to-back bytes from a fast sender keep
  // their start edges.
  localparam [CntW-1:0] FIRST_SAMPLE = CntW'((ClksPerBit - 1) / 2);

  initial begin
    if (ClksPerBit < 4) begin
      $error("loci_uart_rx: ClksPerBit = %0d, need at least 4 clocks per bit", ClksPerBit);
      $finish;
    end
  end

  localparam [1:0] S_IDLE  = 2'd0;  // waiting for a falling edge
  localparam [1:0] S_START = 2'd1;  // confirming the start bit at its middle
  localparam [1:0] S_DATA  = 2'd2;  // sampling 8 data bits, LSB first
  localparam [1:0] S_STOP  = 2'd3;  // sampling the stop bit; after a framing error, waiting for idle

  // Two flip-flops: rx_i comes from another clock domain (the FTDI chip); the first may go
  // metastable, the second gives it a full cycle to settle. Reset to 1 = idle line.
  reg rx_meta_q, rx_sync_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rx_meta_q <= 1'b1;
      rx_sync_q <= 1'b1;
    end else begin
      rx_meta_q <= rx_i;
      rx_sync_q <= rx_meta_q;
    end
  end

  // The two samples before the current one: each bit's value is the majority of the three
  // clocks around its middle, so a one-clock spike on the line cannot flip a bit.
  reg [1:0] hist_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) hist_q <= 2'b11;
    else hist_q <= {hist_q[0], rx_sync_q};
  end
  wire bit_maj = (hist_q[1] & hist_q[0]) | (hist_q[1] & rx_sync_q) | (hist_q[0] & rx_sync_q);

  // Where we are in the byte.
  reg [1:0] state_q, state_d;
  // Cycles left until the next sample point (counts down to 0): the last clock of a bit's
  // majority window.
  reg [CntW-1:0] cnt_q, cnt_d;
  // Data bits sampled so far in S_DATA (0..7).
  reg [2:0] bit_q, bit_d;
  // The byte being assembled, LSB first: shifted in from the top.
  reg [7:0] shift_q, shift_d;
  // Set after a framing error: wait for the line to go high before looking for a start
  // bit, so a held-low line (break) is one error, not a stream of 0x00 bytes.
  reg wait_idle_q, wait_idle_d;

  always @(*) begin
    state_d     = state_q;
    cnt_d       = cnt_q;
    bit_d       = bit_q;
    shift_d     = shift_q;
    wait_idle_d = wait_idle_q;
    case (state_q)
      S_IDLE: begin
        if (wait_idle_q) begin
          if (rx_sync_q) wait_idle_d = 1'b0;
        end else if (!rx_sync_q) begin
          state_d = S_START;
          cnt_d   = FIRST_SAMPLE;
        end
      end
      S_START: begin
        if (cnt_q != 0) begin
          cnt_d = cnt_q - 1'b1;
        end else if (bit_maj) begin
          // Line went back high before mid start bit: a glitch, not a start bit.
          state_d = S_IDLE;
        end else begin
          state_d = S_DATA;
          cnt_d   = FULL_BIT;
          bit_d   = 3'd0;
        end
      end
      S_DATA: begin
        if (cnt_q != 0) begin
          cnt_d = cnt_q - 1'b1;
        end else begin
          shift_d = {bit_maj, shift_q[7:1]};
          cnt_d   = FULL_BIT;
          bit_d   = bit_q + 1'b1;
          if (bit_q == 3'd7) state_d = S_STOP;
        end
      end
      default: begin  // S_STOP
        if (cnt_q != 0) begin
          cnt_d = cnt_q - 1'b1;
        end else begin
          // Return to idle at the middle of the stop bit: the next start edge may come
          // half a bit later, and we must see it.
          state_d     = S_IDLE;
          wait_idle_d = !bit_maj;
        end
      end
    endcase
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= S_IDLE;
      cnt_q       <= '0;
      bit_q       <= 3'd0;
      shift_q     <= 8'd0;
      wait_idle_q <= 1'b0;
      data_o      <= 8'd0;
      valid_o     <= 1'b0;
      frame_err_o <= 1'b0;
    end else begin
      state_q     <= state_d;
      cnt_q       <= cnt_d;
      bit_q       <= bit_d;
      shift_q     <= shift_d;
      wait_idle_q <= wait_idle_d;
      valid_o     <= 1'b0;
      frame_err_o <= 1'b0;
      if (state_q == S_STOP && cnt_q == 0) begin
        if (bit_maj) begin
          data_o  <= shift_q;
          valid_o <= 1'b1;
        end else begin
          frame_err_o <= 1'b1;
        end
      end
    end
  end

endmodule

`default_nettype wire

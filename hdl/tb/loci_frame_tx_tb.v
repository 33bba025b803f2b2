// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_frame_tx: random frames (LEN 0..256) whose payload the bench writes into the
// transmitter's slot byte by byte (at random times, before the start), and frames of the
// constant record (rom_i, 64 bytes), sent to a UART side that takes a byte at random times (never
// two clocks in a row, like the UART); every byte on the wire is compared with a frame built by
// the testbench (CRC-16/CCITT-FALSE, big-endian), and the wire also feeds loci_frame_rx, which
// must accept every frame with its payload intact (the receiver and transmitter agree).

`default_nettype none
`timescale 1ns / 1ps

module loci_frame_tx_tb;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  // The constant record: byte i = 3 i + 17 (mod 256).
  function automatic [511:0] rom_record(input integer unused);
    integer i;
    begin
      for (i = 0; i < 64; i = i + 1) rom_record[8*i +: 8] = 8'((3 * i + 17) % 256);
    end
  endfunction
  localparam [511:0] Rom = rom_record(0);

  reg start = 1'b0;
  reg [1:0] type_in = 2'd0;
  reg [7:0] seq_in = 8'd0;
  reg [8:0] len_in = 9'd0;
  reg rom_in = 1'b0;
  reg wr = 1'b0;
  reg [7:0] wr_addr = 8'd0, wr_data = 8'd0;
  wire busy;
  wire [7:0] tx_data;
  wire tx_valid;
  reg tx_ready = 1'b0;

  loci_frame_tx #(.Rom(Rom)) u_dut (
    .clk_i(clk), .rst_ni(rst_n), .wr_i(wr), .wr_addr_i(wr_addr), .wr_data_i(wr_data),
    .start_i(start), .type_i(type_in), .seq_i(seq_in), .len_i(len_in), .rom_i(rom_in),
    .busy_o(busy), .tx_data_o(tx_data), .tx_valid_o(tx_valid), .tx_ready_i(tx_ready)
  );

  // The wire also feeds a receiver.
  wire desc_valid;
  wire [1:0] desc_status;
  wire [7:0] desc_type, desc_seq;
  wire [8:0] desc_len;
  reg desc_pop = 1'b0;
  reg [7:0] buf_idx = 8'd0;
  wire [7:0] buf_data;
  wire rx_done_unused, rx_drop_unused, rx_busy_unused;
  wire [1:0] rx_garbage_unused;
  loci_frame_rx u_rx (
    .clk_i(clk), .rst_ni(rst_n), .rx_data_i(tx_data), .rx_valid_i(tx_valid && tx_ready),
    .desc_valid_o(desc_valid), .desc_pop_i(desc_pop), .desc_status_o(desc_status),
    .desc_type_o(desc_type), .desc_seq_o(desc_seq), .desc_len_o(desc_len),
    .buf_idx_i(buf_idx), .buf_data_o(buf_data),
    .done_o(rx_done_unused), .drop_o(rx_drop_unused), .garbage_o(rx_garbage_unused), .busy_o(rx_busy_unused)
  );

  `include "loci_tb_check.vh"


  integer seed = 9;
  reg [7:0] payload [0:255];
  reg [7:0] expect_bytes [0:300];
  integer expect_len;
  integer got_n;

  // UART side: random readiness, never in the clock after a byte was taken (the UART is busy
  // for a whole character then); checks each byte against the expected frame.
  always @(posedge clk) begin
    tx_ready <= !(tx_valid && tx_ready) && (($urandom(seed) % 3) != 0);
    if (tx_valid && tx_ready) begin
      checks = checks + 1;
      if (got_n >= expect_len) fail("byte past the frame end");
      else if (tx_data !== expect_bytes[got_n]) begin
        $display("byte %0d: %02x want %02x", got_n, tx_data, expect_bytes[got_n]);
        fail("wire byte");
      end
      got_n = got_n + 1;
    end
  end

  integer k, i, len, order;
  reg [15:0] c;
  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    for (k = 0; k < 150; k = k + 1) begin
      // Every 7th frame sends the constant record; the slot keeps the last payload meanwhile.
      rom_in = (k % 7 == 3);
      len = rom_in ? 64 : (k < 3) ? k * 128 : $urandom(seed) % 257;
      if (len > 256) len = 256;
      if (rom_in) begin
        for (i = 0; i < 64; i = i + 1) payload[i] = Rom[8*i +: 8];
      end else begin
        // Write the slot in a scrambled order (an odd stride permutes 0..255), with random gaps.
        order = 1 + 2 * ($urandom(seed) % 128);
        for (i = 0; i < 256; i = i + 1) begin
          @(negedge clk);
          wr = (((i * order) % 256) < len);
          wr_addr = 8'((i * order) % 256);
          wr_data = $urandom(seed);
          if (wr) payload[wr_addr] = wr_data;
          if ($urandom(seed) % 4 == 0) begin
            @(negedge clk);
            wr = 1'b0;
          end
        end
        @(negedge clk);
        wr = 1'b0;
      end
      type_in = $urandom(seed);
      seq_in = $urandom(seed);
      len_in = len[8:0];
      expect_bytes[0] = 8'ha5; expect_bytes[1] = 8'h5a; expect_bytes[2] = {6'b100000, type_in};
      expect_bytes[3] = seq_in; expect_bytes[4] = len[7:0]; expect_bytes[5] = len[15:8];
      for (i = 0; i < len; i = i + 1) expect_bytes[6 + i] = payload[i];
      c = 16'hffff;
      for (i = 2; i < 6 + len; i = i + 1) c = crc_byte(c, expect_bytes[i]);
      expect_bytes[6 + len] = c[15:8];
      expect_bytes[7 + len] = c[7:0];
      expect_len = len + 8;
      got_n = 0;
      @(negedge clk);
      start = 1'b1;
      @(negedge clk);
      start = 1'b0;
      checks = checks + 1;
      if (!busy) fail("not busy after start");
      while (busy) @(negedge clk);
      if (got_n != expect_len) fail("frame length on the wire");
      // The receiver must hold the same frame.
      repeat (2) @(negedge clk);
      checks = checks + 1;
      if (!desc_valid || desc_status != 2'd0 || desc_type != {6'b100000, type_in} || desc_seq != seq_in || desc_len != len_in)
        fail("receiver did not accept the frame");
      for (i = 0; i < len; i = i + 1) begin
        buf_idx = i[7:0];
        @(negedge clk);
        checks = checks + 1;
        if (buf_data !== payload[i]) fail("receiver payload");
      end
      desc_pop = 1'b1;
      @(negedge clk);
      desc_pop = 1'b0;
    end
    if (failures == 0) $display("TB PASS loci_frame_tx checks=%0d frames=%0d", checks, k);
    else $display("TB FAIL loci_frame_tx failures=%0d", failures);
    $finish;
  end

  initial begin
    #50_000_000;
    $display("TB FAIL: timeout");
    $finish;
  end
endmodule

`default_nettype wire

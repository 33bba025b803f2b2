// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_frame_tx: random frames (LEN 0..256) with a stalling payload source and a
// stalling UART side; every byte on the wire is compared with a frame built by the testbench
// (CRC-16/CCITT-FALSE, big-endian), and the wire also feeds loci_frame_rx, which must accept
// every frame with its payload intact (the receiver and transmitter agree).

`default_nettype none
`timescale 1ns / 1ps

module loci_frame_tx_tb;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  reg start = 1'b0;
  reg [7:0] type_in = 8'd0, seq_in = 8'd0;
  reg [8:0] len_in = 9'd0;
  wire busy;
  wire [7:0] pl_data;
  reg pl_valid = 1'b0;
  wire pl_ready;
  wire [8:0] pl_index;
  wire [7:0] tx_data;
  wire tx_valid;
  reg tx_ready = 1'b0;

  loci_frame_tx u_dut (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start), .type_i(type_in), .seq_i(seq_in), .len_i(len_in),
    .busy_o(busy), .pl_data_i(pl_data), .pl_valid_i(pl_valid), .pl_ready_o(pl_ready),
    .pl_index_o(pl_index), .tx_data_o(tx_data), .tx_valid_o(tx_valid), .tx_ready_i(tx_ready)
  );

  // The wire also feeds a receiver.
  wire desc_valid;
  wire [1:0] desc_status;
  wire [7:0] desc_type, desc_seq;
  wire [8:0] desc_len;
  reg desc_ready = 1'b0;
  reg [7:0] buf_idx = 8'd0;
  wire [7:0] buf_data;
  loci_frame_rx u_rx (
    .clk_i(clk), .rst_ni(rst_n), .rx_data_i(tx_data), .rx_valid_i(tx_valid && tx_ready),
    .desc_valid_o(desc_valid), .desc_ready_i(desc_ready), .desc_status_o(desc_status),
    .desc_type_o(desc_type), .desc_seq_o(desc_seq), .desc_len_o(desc_len),
    .buf_idx_i(buf_idx), .buf_data_o(buf_data),
    .garbage_o(), .garbage_n_o(), .overflow_o(), .busy_o()
  );

  `include "loci_tb_check.vh"


  integer seed = 9;
  reg [7:0] payload [0:255];
  reg [7:0] expect_bytes [0:300];
  integer expect_len;
  integer got_n;

  // UART side: random readiness; checks each byte against the expected frame.
  always @(posedge clk) begin
    tx_ready <= ($urandom(seed) % 3) != 0;
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

  // Payload source: byte pl_index, valid on random clocks.
  assign pl_data = payload[pl_index[7:0]];
  always @(posedge clk) pl_valid <= ($urandom(seed) % 2) != 0;

  integer k, i, len;
  reg [15:0] c;
  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    for (k = 0; k < 150; k = k + 1) begin
      len = (k < 3) ? k * 128 : $urandom(seed) % 257;
      if (len > 256) len = 256;
      for (i = 0; i < len; i = i + 1) payload[i] = $urandom(seed);
      type_in = $urandom(seed);
      seq_in = $urandom(seed);
      len_in = len[8:0];
      expect_bytes[0] = 8'ha5; expect_bytes[1] = 8'h5a; expect_bytes[2] = type_in;
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
      if (!desc_valid || desc_status != 2'd0 || desc_type != type_in || desc_seq != seq_in || desc_len != len_in)
        fail("receiver did not accept the frame");
      for (i = 0; i < len; i = i + 1) begin
        buf_idx = i[7:0];
        @(negedge clk);
        checks = checks + 1;
        if (buf_data !== payload[i]) fail("receiver payload");
      end
      desc_ready = 1'b1;
      @(negedge clk);
      desc_ready = 1'b0;
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

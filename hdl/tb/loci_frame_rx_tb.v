// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_frame_rx: random good frames (LEN 0..256) separated by counted garbage,
// frames with a flipped bit (CRC), LEN > 256 (LENGTH), a stalled partial frame (TIMEOUT), and
// frames arriving while both descriptors are held (dropped, drop_o). A model engine pops
// descriptors at random times and checks type, seq, len and every payload byte through the
// buffer port; done_o must pulse once for every frame with a readable header (and once for a
// SYNC that times out before its TYPE byte: a TIMEOUT descriptor with TYPE 0 and SEQ 0).

`default_nettype none
`timescale 1ns / 1ps

module loci_frame_rx_tb;
  localparam integer TimeoutClocks = 512;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  reg [7:0] rx_data = 8'd0;
  reg rx_valid = 1'b0;
  wire desc_valid;
  reg desc_pop = 1'b0;
  wire [1:0] desc_status;
  wire [7:0] desc_type, desc_seq;
  wire [8:0] desc_len;
  reg [7:0] buf_idx = 8'd0;
  wire [7:0] buf_data;
  wire done, drop, busy;
  wire [1:0] garbage_n;

  loci_frame_rx #(.MaxPayload(256), .TimeoutClocks(TimeoutClocks)) u_dut (
    .clk_i(clk), .rst_ni(rst_n), .rx_data_i(rx_data), .rx_valid_i(rx_valid),
    .desc_valid_o(desc_valid), .desc_pop_i(desc_pop), .desc_status_o(desc_status),
    .desc_type_o(desc_type), .desc_seq_o(desc_seq), .desc_len_o(desc_len),
    .buf_idx_i(buf_idx), .buf_data_o(buf_data),
    .done_o(done), .drop_o(drop), .garbage_o(garbage_n), .busy_o(busy)
  );

  `include "loci_tb_check.vh"

  // Counters from the DUT's pulses.
  integer garbage_seen = 0;
  integer overflow_seen = 0;
  integer done_seen = 0;
  always @(posedge clk) begin
    garbage_seen <= garbage_seen + garbage_n;
    if (drop) overflow_seen <= overflow_seen + 1;
    if (done) done_seen <= done_seen + 1;
    if (drop && !done) fail("drop_o without done_o");
  end
  // Frames with a readable header sent so far (each must give one done_o pulse).
  integer headers_sent = 0;

  // Expected descriptors: status, type, seq, len, and payload bytes (flattened).
  integer exp_status [0:4095];
  integer exp_type [0:4095];
  integer exp_seq [0:4095];
  integer exp_len [0:4095];
  integer exp_off [0:4095];
  reg [7:0] exp_bytes [0:1048575];
  integer n_exp = 0;
  integer n_bytes = 0;
  integer n_done = 0;


  integer seed = 5;
  // Bytes are handed to the DUT every 8..11 clocks (the UART delivers one per 80 clocks at
  // 3 Mbaud; faster here, still slower than the engine model reads a buffer).
  task automatic send_byte(input [7:0] b);
    begin
      rx_data <= b;
      rx_valid <= 1'b1;
      @(posedge clk);
      rx_valid <= 1'b0;
      repeat (7 + $urandom(seed) % 4) @(posedge clk);
    end
  endtask

  reg [7:0] frame [0:300];
  integer frame_len;
  // Build a frame in `frame`; record its expected descriptor when `expect_ok`.
  task automatic build(input [7:0] t, input [7:0] s, input integer len, input expect_ok);
    integer i;
    reg [15:0] c;
    begin
      frame[0] = 8'ha5; frame[1] = 8'h5a; frame[2] = t; frame[3] = s;
      frame[4] = len[7:0]; frame[5] = len[15:8];
      for (i = 0; i < len; i = i + 1) frame[6 + i] = $urandom(seed);
      c = 16'hffff;
      for (i = 2; i < 6 + len; i = i + 1) c = crc_byte(c, frame[i]);
      frame[6 + len] = c[15:8];
      frame[7 + len] = c[7:0];
      frame_len = len + 8;
      if (expect_ok) begin
        exp_status[n_exp] = 0; exp_type[n_exp] = t; exp_seq[n_exp] = s; exp_len[n_exp] = len;
        exp_off[n_exp] = n_bytes;
        for (i = 0; i < len; i = i + 1) exp_bytes[n_bytes + i] = frame[6 + i];
        n_bytes = n_bytes + len;
        n_exp = n_exp + 1;
      end
    end
  endtask
  // Recompute the CRC of `frame` after its payload was edited.
  task automatic build_crc;
    integer i, len;
    reg [15:0] c;
    begin
      len = frame_len - 8;
      c = 16'hffff;
      for (i = 2; i < 6 + len; i = i + 1) c = crc_byte(c, frame[i]);
      frame[6 + len] = c[15:8];
      frame[7 + len] = c[7:0];
    end
  endtask
  task automatic expect_bad(input integer status, input [7:0] t, input [7:0] s);
    begin
      exp_status[n_exp] = status; exp_type[n_exp] = t; exp_seq[n_exp] = s; exp_len[n_exp] = 0;
      exp_off[n_exp] = n_bytes;
      n_exp = n_exp + 1;
    end
  endtask
  task automatic send_frame;
    integer i;
    begin
      for (i = 0; i < frame_len; i = i + 1) send_byte(frame[i]);
      headers_sent = headers_sent + 1;
    end
  endtask

  // Model engine: pops descriptors after a random delay (or never while `hold`), reading and
  // checking every payload byte first.
  reg hold = 1'b0;
  integer i_eng;
  initial begin
    forever begin
      @(posedge clk);
      if (desc_valid && !hold && ($urandom(seed) % 8 == 0)) begin
        checks = checks + 1;
        if (n_done >= n_exp) begin $display("unexpected: status %0d type %02x seq %02x len %0d (n_exp %0d)", desc_status, desc_type, desc_seq, desc_len, n_exp); fail("descriptor nobody expected"); end
        else begin
          if (desc_status !== exp_status[n_done][1:0]) fail("status");
          if (desc_type !== exp_type[n_done][7:0]) begin $display("desc %0d: type %02x want %02x len %0d want %0d status %0d", n_done, desc_type, exp_type[n_done][7:0], desc_len, exp_len[n_done], desc_status); fail("type"); end
          if (desc_seq !== exp_seq[n_done][7:0]) fail("seq");
          if (desc_len !== exp_len[n_done][8:0]) fail("len");
          for (i_eng = 0; i_eng < desc_len; i_eng = i_eng + 1) begin
            buf_idx <= i_eng[7:0];
            @(posedge clk);
            #1;
            checks = checks + 1;
            if (buf_data !== exp_bytes[exp_off[n_done] + i_eng]) fail("payload byte");
          end
        end
        n_done = n_done + 1;
        desc_pop <= 1'b1;
        @(posedge clk);
        desc_pop <= 1'b0;
        // The descriptor is gone at this edge (or the next one has taken its place).
        @(posedge clk);
      end
    end
  end

  task automatic drain;
    begin
      while (n_done < n_exp) @(posedge clk);
      repeat (20) @(posedge clk);
    end
  endtask

  integer k, g, n, garbage_sent, pos, bit_pos;
  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    garbage_sent = 0;

    // 1. Good frames with garbage (never SYNC0) and extra SYNC0s before them.
    for (k = 0; k < 120; k = k + 1) begin
      n = $urandom(seed) % 6;
      for (g = 0; g < n; g = g + 1) begin
        send_byte(8'h00 + ($urandom(seed) % 8'ha5));
        garbage_sent = garbage_sent + 1;
      end
      if ($urandom(seed) % 4 == 0) begin
        send_byte(8'ha5);  // an extra SYNC0: discarded, the next one arms the hunt
        garbage_sent = garbage_sent + 1;
      end
      build($urandom(seed), $urandom(seed), (k < 4) ? k * 85 + 1 : $urandom(seed) % 257, 1'b1);
      send_frame();
    end
    drain();
    checks = checks + 1;
    if (overflow_seen != 0) fail("drop while the engine kept up");
    if (garbage_seen != garbage_sent) begin
      $display("TB FAIL: garbage counted %0d, sent %0d", garbage_seen, garbage_sent);
      failures = failures + 1;
    end

    // 2. A flipped bit anywhere in TYPE, SEQ, payload or CRC: a CRC descriptor carrying the
    //    TYPE and SEQ as received. (LEN is left alone: a different LEN moves the frame end.)
    for (k = 0; k < 60; k = k + 1) begin
      build($urandom(seed), $urandom(seed), 1 + $urandom(seed) % 40, 1'b0);
      pos = 2 + $urandom(seed) % (frame_len - 2);
      if (pos == 4 || pos == 5) pos = 3;
      bit_pos = $urandom(seed) % 8;
      frame[pos][bit_pos] = !frame[pos][bit_pos];
      expect_bad(1, frame[2], frame[3]);
      send_frame();
      build($urandom(seed), $urandom(seed), $urandom(seed) % 20, 1'b1);  // and a good one after it
      send_frame();
    end
    drain();

    // 3. LEN > 256: LENGTH right after the header; the following frame is received.
    for (k = 0; k < 10; k = k + 1) begin
      expect_bad(2, 8'h44, k[7:0]);
      send_byte(8'ha5); send_byte(8'h5a); send_byte(8'h44); send_byte(k[7:0]);
      send_byte(8'h01); send_byte(8'h01 + k[7:0]);  // LEN = 257 + 256 k
      headers_sent = headers_sent + 1;
      build(8'h02, k[7:0], 3, 1'b1);
      send_frame();
    end
    drain();

    // 4. A frame that stops half way: TIMEOUT after TimeoutClocks idle clocks; the bytes it
    //    had are not garbage; the next frame is received.
    build(8'h04, 8'h77, 30, 1'b0);
    expect_bad(3, 8'h04, 8'h77);
    for (k = 0; k < 12; k = k + 1) send_byte(frame[k]);
    headers_sent = headers_sent + 1;
    repeat (TimeoutClocks + 10) @(posedge clk);
    build(8'h05, 8'h78, 4, 1'b1);
    send_frame();
    // Stopping after SYNC and TYPE only: TIMEOUT with SEQ 0.
    expect_bad(3, 8'h09, 8'h00);
    send_byte(8'ha5); send_byte(8'h5a); send_byte(8'h09);
    headers_sent = headers_sent + 1;
    repeat (TimeoutClocks + 10) @(posedge clk);
    drain();
    checks = checks + 1;
    if (garbage_seen != garbage_sent) fail("partial frames counted as garbage");
    // A lone SYNC0 times out as one garbage byte: a SYNC1 after it starts nothing.
    send_byte(8'ha5);
    repeat (TimeoutClocks + 10) @(posedge clk);
    send_byte(8'h5a);
    garbage_sent = garbage_sent + 2;
    build(8'h07, 8'h79, 2, 1'b1);
    send_frame();
    drain();
    checks = checks + 1;
    if (garbage_seen != garbage_sent) fail("lone SYNC0 timeout: garbage count");

    // 5. Overflow: the engine holds the head; the next frame waits in the second descriptor;
    //    frames that start while both are taken are dropped when they end (one drop_o each,
    //    bad ones too), and frames after the engine resumes are received.
    hold = 1'b1;
    build(8'h06, 8'h01, 10, 1'b1); send_frame();
    build(8'h06, 8'h02, 0, 1'b1); send_frame();
    repeat (5) @(posedge clk);
    build(8'h06, 8'h03, 10, 1'b0); send_frame();   // dropped
    build(8'h06, 8'h04, 0, 1'b0); send_frame();    // dropped
    build(8'h06, 8'h05, 3, 1'b0);
    frame[7] = frame[7] ^ 8'h01;
    send_frame();                                  // dropped (a CRC error without a buffer)
    repeat (5) @(posedge clk);
    checks = checks + 1;
    if (overflow_seen != 3) fail("want three drop pulses");
    hold = 1'b0;
    drain();
    build(8'h06, 8'h06, 7, 1'b1); send_frame();
    drain();
    // A frame that starts while both are taken is dropped even when the head is popped before
    // it ends (the buffer was decided at its TYPE byte); the one after it is received.
    hold = 1'b1;
    build(8'h06, 8'h07, 5, 1'b1); send_frame();
    build(8'h06, 8'h08, 5, 1'b1); send_frame();
    build(8'h06, 8'h09, 40, 1'b0);
    for (k = 0; k < 10; k = k + 1) send_byte(frame[k]);
    hold = 1'b0;
    for (k = 10; k < frame_len; k = k + 1) send_byte(frame[k]);
    headers_sent = headers_sent + 1;
    build(8'h06, 8'h0a, 2, 1'b1); send_frame();
    drain();
    checks = checks + 1;
    if (overflow_seen != 4) fail("a frame that started without a buffer was not dropped");

    // 6. SYNC0 SYNC1 and then silence (no TYPE): a TIMEOUT descriptor of its own with TYPE 0 and
    //    SEQ 0, never the header registers or buffer decision of the frame before it.
    build(8'h0b, 8'h55, 6, 1'b1); send_frame();
    drain();
    expect_bad(3, 8'h00, 8'h00);
    send_byte(8'ha5); send_byte(8'h5a);
    headers_sent = headers_sent + 1;
    repeat (TimeoutClocks + 10) @(posedge clk);
    drain();
    checks = checks + 1;
    if (overflow_seen != 4) fail("SYNC then silence: spurious drop");
    // The same while both descriptors are taken: dropped for want of a buffer (one drop_o), and
    // the waiting frame keeps its descriptor (status OK, its own TYPE, SEQ and payload).
    hold = 1'b1;
    build(8'h0c, 8'h21, 5, 1'b1); send_frame();
    build(8'h0d, 8'h22, 9, 1'b1); send_frame();
    repeat (5) @(posedge clk);
    send_byte(8'ha5); send_byte(8'h5a);
    headers_sent = headers_sent + 1;
    repeat (TimeoutClocks + 10) @(posedge clk);
    checks = checks + 1;
    if (overflow_seen != 5) fail("SYNC then silence without a buffer: want one drop pulse");
    hold = 1'b0;
    drain();
    checks = checks + 1;
    if (garbage_seen != garbage_sent) fail("SYNC then silence: counted as garbage");
    checks = checks + 1;
    if (done_seen != headers_sent) begin
      $display("TB FAIL: done_o pulses %0d, frames with a header %0d", done_seen, headers_sent);
      failures = failures + 1;
    end

    checks = checks + 1;
    if (n_done != n_exp) fail("not every expected descriptor arrived");
    if (failures == 0) $display("TB PASS loci_frame_rx checks=%0d frames=%0d", checks, n_done);
    else $display("TB FAIL loci_frame_rx failures=%0d", failures);
    $finish;
  end

  initial begin
    #20_000_000;
    $display("TB FAIL: timeout (descriptors %0d of %0d)", n_done, n_exp);
    $finish;
  end
endmodule

`default_nettype wire

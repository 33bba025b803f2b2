// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_uart_tx: the line idles high, every bit lasts exactly ClksPerBit clocks,
// bytes offered back to back leave with no gap (full line rate), random gaps between bytes,
// and every byte offered is sent once, in order.

`default_nettype none
`timescale 1ns / 1ps

module loci_uart_tx_tb;
  localparam integer ClksPerBit = 7;
  localparam integer N = 600;

  reg clk = 1'b0;
  reg rst_n = 1'b0;
  reg [7:0] data = 8'd0;
  reg valid = 1'b0;
  wire ready, tx;

  always #5 clk = ~clk;

  loci_uart_tx #(.ClksPerBit(ClksPerBit)) u_dut (
    .clk_i(clk), .rst_ni(rst_n), .data_i(data), .valid_i(valid), .ready_o(ready), .tx_o(tx)
  );

  integer checks = 0;
  integer failures = 0;
  integer cycle = 0;
  always @(posedge clk) cycle <= cycle + 1;

  task automatic fail(input [8*64-1:0] what);
    begin
      $display("TB FAIL: %0s (cycle %0d)", what, cycle);
      failures = failures + 1;
    end
  endtask

  // Producer: offers N random bytes, back to back in the first half, with random idle gaps
  // (0..200 clocks, up to ~3 characters) in the second.
  reg [7:0] sent [0:N-1];
  integer n_sent = 0;
  integer gap = 0;
  integer seed = 7;
  reg go = 1'b0;  // set by the main sequence once the idle line has been checked
  always @(posedge clk) begin
    if (go) begin
      if (valid && ready) begin
        sent[n_sent] <= data;
        n_sent <= n_sent + 1;
        valid <= 1'b0;
        gap <= (n_sent < N / 2) ? 0 : $urandom(seed) % 201;
      end else if (!valid && n_sent < N) begin
        if (gap == 0) begin
          valid <= 1'b1;
          data <= $urandom(seed);
        end else begin
          gap <= gap - 1;
        end
      end
    end
  end

  // Line monitor: checks the start bit, every bit's length (exactly ClksPerBit clocks, by
  // sampling at the first and last clock of each bit) and the stop bit.
  reg [7:0] got [0:N-1];
  integer n_got = 0;
  integer last_start = -1;
  integer back_to_back = 0;
  integer i, start;
  reg [7:0] b;
  initial begin
    @(posedge rst_n);
    forever begin
      @(negedge clk);
      if (tx === 1'b0) begin
        start = cycle;
        if (last_start >= 0 && start - last_start == 10 * ClksPerBit) back_to_back = back_to_back + 1;
        if (last_start >= 0 && start - last_start < 10 * ClksPerBit) fail("start bit too early");
        last_start = start;
        for (i = 0; i < 10; i = i + 1) begin
          // First clock of bit i is checked now; move to its last clock.
          if (i > 0) @(negedge clk);
          if (i >= 1 && i <= 8) b[i-1] = tx;
          if (i == 0 && tx !== 1'b0) fail("start bit not low");
          if (i == 9 && tx !== 1'b1) fail("stop bit not high");
          repeat (ClksPerBit - 1) @(negedge clk);
          if (i >= 1 && i <= 8 && tx !== b[i-1]) fail("data bit changed inside its bit time");
          if (i == 0 && tx !== 1'b0) fail("start bit shorter than ClksPerBit");
          if (i == 9 && tx !== 1'b1) fail("stop bit shorter than ClksPerBit");
          checks = checks + 1;
        end
        got[n_got] = b;
        n_got = n_got + 1;
      end
    end
  end

  integer k;
  initial begin
    repeat (3) @(posedge clk);
    if (tx !== 1'b1) fail("line not high in reset");
    rst_n = 1'b1;
    repeat (5) @(posedge clk);
    if (tx !== 1'b1 || !ready) fail("line not idle high and ready after reset");
    go = 1'b1;
    wait (n_got == N);
    repeat (ClksPerBit * 20) @(posedge clk);
    if (n_got != N || n_sent != N) fail("count mismatch");
    if (tx !== 1'b1 || !ready) fail("not idle at end");
    for (k = 0; k < N; k = k + 1) begin
      checks = checks + 1;
      if (got[k] !== sent[k]) begin
        $display("TB FAIL: byte %0d got %02x want %02x", k, got[k], sent[k]);
        failures = failures + 1;
      end
    end
    // The back-to-back half must run at the full line rate: 10 bits per byte, no gap.
    checks = checks + 1;
    if (back_to_back < N / 2 - 1) begin
      $display("TB FAIL: only %0d of %0d bytes followed back to back", back_to_back, N / 2 - 1);
      failures = failures + 1;
    end
    if (failures == 0) $display("TB PASS loci_uart_tx checks=%0d bytes=%0d back_to_back=%0d", checks, n_got, back_to_back);
    else $display("TB FAIL loci_uart_tx failures=%0d", failures);
    $finish;
  end

  initial begin
    #50_000_000;
    $display("TB FAIL: timeout");
    $finish;
  end
endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_link_fifo: random writes, reads and clears at several duty cycles against a queue
// model: order, no loss, no duplicates, latency at most 2 clocks, wready low exactly when the
// array is full, level.

`default_nettype none
`timescale 1ns / 1ps

module loci_link_fifo_tb;
  localparam integer Depth = 16;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  reg [7:0] wdata = 8'd0;
  reg wvalid = 1'b0;
  reg rready = 1'b0;
  reg clear = 1'b0;
  integer clear_pct10 = 0;  // chance of a clear per clock, in tenths of a percent
  wire wready, rvalid;
  wire [7:0] rdata;
  wire [$clog2(Depth):0] level;

  loci_link_fifo #(.Width(8), .Depth(Depth)) u_dut (
    .clk_i(clk), .rst_ni(rst_n), .clear_i(clear), .wdata_i(wdata), .wvalid_i(wvalid), .wready_o(wready),
    .rdata_o(rdata), .rvalid_o(rvalid), .rready_i(rready), .level_o(level)
  );

  // Model: every accepted word, in order.
  reg [7:0] model [0:65535];
  integer head = 0;
  integer tail = 0;
  integer checks = 0;
  integer failures = 0;
  integer seed = 11;
  integer wr_pct = 50;
  integer rd_pct = 50;
  integer cycle = 0;
  integer held;
  integer tail_1ago = 0;  // tail as it was one and two clocks ago
  integer tail_2ago = 0;

  task automatic fail(input [8*80-1:0] what);
    begin
      $display("TB FAIL: %0s (cycle %0d, model holds %0d)", what, cycle, tail - head);
      failures = failures + 1;
    end
  endtask

  always @(posedge clk) begin
    if (rst_n) begin
      cycle <= cycle + 1;
      // Check this cycle's outputs against the model before the edge takes effect.
      held = tail - head;
      checks = checks + 1;
      // A word written into an empty FIFO reaches the output two clocks later (array read).
      if (rvalid && held == 0) fail("rvalid with nothing written");
      if (!rvalid && tail_2ago - head > 0) fail("a word written 2+ clocks ago is not on the output");
      if (rvalid && rdata !== model[head]) fail("wrong head word");
      if (level + rvalid !== held) fail("level + output register != words held");
      if (wready !== (level != Depth)) fail("wready disagrees with level");
      tail_2ago = tail_1ago;
      tail_1ago = tail;
      if (clear) begin
        // A clear empties the FIFO and drops a write in the same clock.
        head = tail;
        tail_1ago = tail;
        tail_2ago = tail;
      end else begin
        if (wvalid && wready) begin
          model[tail] = wdata;
          tail = tail + 1;
        end
        if (rvalid && rready) head = head + 1;
      end
      // Next stimulus.
      wvalid <= ($urandom(seed) % 100) < wr_pct;
      wdata <= $urandom(seed);
      rready <= ($urandom(seed) % 100) < rd_pct;
      clear <= ($urandom(seed) % 1000) < clear_pct10;
    end
  end

  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    // Balanced, writer-heavy (fills: exercises full), reader-heavy (drains: exercises empty).
    wr_pct = 50; rd_pct = 50; repeat (3000) @(posedge clk);
    wr_pct = 90; rd_pct = 20; repeat (3000) @(posedge clk);
    wr_pct = 20; rd_pct = 90; repeat (3000) @(posedge clk);
    wr_pct = 100; rd_pct = 100; repeat (3000) @(posedge clk);
    wr_pct = 70; rd_pct = 40; clear_pct10 = 5; repeat (4000) @(posedge clk);
    clear_pct10 = 0;
    wr_pct = 0; rd_pct = 100; repeat (100) @(posedge clk);
    if (tail - head != 0) fail("not drained");
    if (tail < 5000) fail("too few words passed");
    if (failures == 0) $display("TB PASS loci_link_fifo checks=%0d words=%0d", checks, tail);
    else $display("TB FAIL loci_link_fifo failures=%0d", failures);
    $finish;
  end
endmodule

`default_nettype wire

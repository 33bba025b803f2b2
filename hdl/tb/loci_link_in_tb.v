// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_link_in: random input records (n axons, empty steps, skip words) written
// as words while a consumer pops events at random; checks the event sequence (axons then one
// end-of-step marker per step, k markers per skip word), `consumed` and `buffered`; then ABORT
// in the middle of a record (the buffered axons, one marker, nothing after), ABORT at a
// boundary with nothing buffered (one made-up marker), and discard / clear.

`default_nettype none
`timescale 1ns / 1ps

module loci_link_in_tb;
  localparam integer Depth = 64;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  reg clear = 1'b0, discard = 1'b0, abort = 1'b0;
  reg [15:0] wdata = 16'd0;
  reg wvalid = 1'b0;
  wire ev_valid, ev_eos;
  wire [9:0] ev_axon;
  reg ev_ready = 1'b0;
  wire [7:0] buffered;
  wire [31:0] consumed;
  wire abort_done, empty;

  loci_link_in #(.Depth(Depth), .AxonW(10)) u_dut (
    .clk_i(clk), .rst_ni(rst_n), .clear_i(clear), .discard_i(discard), .abort_i(abort),
    .wdata_i(wdata), .wvalid_i(wvalid),
    .ev_valid_o(ev_valid), .ev_eos_o(ev_eos), .ev_axon_o(ev_axon), .ev_pop_i(ev_ready),
    .buffered_o(buffered), .consumed_o(consumed), .pop_o(), .abort_done_o(abort_done), .empty_o(empty)
  );

  `include "loci_tb_check.vh"

  // Expected events: {eos, axon}.
  reg [10:0] exp_ev [0:65535];
  integer n_exp = 0;
  integer n_got = 0;
  integer words_written = 0;
  integer seed = 17;
  reg consume = 1'b1;

  always @(posedge clk) begin
    if (rst_n && ev_valid && ev_ready) begin
      checks = checks + 1;
      if (n_got >= n_exp) fail("event nobody expected");
      else if ({ev_eos, ev_eos ? 10'd0 : ev_axon} !== exp_ev[n_got]) begin
        $display("event %0d: eos %0d axon %0d, want %03x", n_got, ev_eos, ev_axon, exp_ev[n_got]);
        fail("wrong event");
      end
      n_got = n_got + 1;
    end
    ev_ready <= consume && ($urandom(seed) % 3 != 0);
  end

  // Write one word (waits while the buffer is full, as the engine's credit check would).
  task automatic put(input [15:0] w);
    begin
      while (buffered >= Depth) @(negedge clk);
      wdata = w;
      wvalid = 1'b1;
      @(negedge clk);
      wvalid = 1'b0;
      words_written = words_written + 1;
    end
  endtask

  // A record of n axons (model: the axons, then a marker).
  task automatic record(input integer n);
    integer i;
    reg [9:0] a;
    begin
      put(n[15:0]);
      for (i = 0; i < n; i = i + 1) begin
        a = $urandom(seed);
        put({6'd0, a});
        exp_ev[n_exp] = {1'b0, a};
        n_exp = n_exp + 1;
      end
      exp_ev[n_exp] = {1'b1, 10'd0};
      n_exp = n_exp + 1;
    end
  endtask

  task automatic skip(input integer k);
    integer i;
    begin
      put(16'h8000 | k[15:0]);
      for (i = 0; i < k; i = i + 1) begin
        exp_ev[n_exp] = {1'b1, 10'd0};
        n_exp = n_exp + 1;
      end
    end
  endtask

  task automatic wait_drained;
    begin
      while (n_got < n_exp) @(negedge clk);
      repeat (5) @(negedge clk);
    end
  endtask

  integer k, base_got;
  initial begin
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    @(negedge clk);
    checks = checks + 1;
    if (!empty || ev_valid) fail("not empty after reset");

    // Random records and skips.
    for (k = 0; k < 300; k = k + 1) begin
      case ($urandom(seed) % 4)
        0: record(0);
        1: skip(1 + $urandom(seed) % 5);
        default: record(1 + $urandom(seed) % 40);
      endcase
    end
    wait_drained();
    checks = checks + 3;
    if (consumed != words_written) fail("consumed != words written");
    if (buffered != 0) fail("buffered not 0 after draining");
    if (!empty) fail("not empty after draining");

    // ABORT inside a record: 3 of its 6 axons are buffered, the consumer is paused.
    consume = 1'b0;
    put(16'd6);
    for (k = 0; k < 3; k = k + 1) begin
      put(16'd100 + k[15:0]);
      exp_ev[n_exp] = {1'b0, 10'd100 + k[9:0]};
      n_exp = n_exp + 1;
    end
    exp_ev[n_exp] = {1'b1, 10'd0};
    n_exp = n_exp + 1;
    @(negedge clk);
    abort = 1'b1;
    @(negedge clk);
    abort = 1'b0;
    consume = 1'b1;
    wait_drained();
    checks = checks + 2;
    if (!abort_done) fail("abort not done after its marker");
    if (ev_valid) fail("events after the abort's marker");
    // Words that arrive after the abort are not delivered.
    put(16'd1);
    put(16'd7);
    repeat (20) @(negedge clk);
    checks = checks + 1;
    if (ev_valid || n_got != n_exp) fail("delivered after the abort");
    discard = 1'b1;
    @(negedge clk);
    discard = 1'b0;
    checks = checks + 2;
    if (buffered != 0 || !empty) fail("discard left words");
    if (consumed != words_written - 2) fail("discard changed consumed");

    // ABORT at a boundary with nothing buffered: one made-up marker.
    base_got = n_got;
    exp_ev[n_exp] = {1'b1, 10'd0};
    n_exp = n_exp + 1;
    abort = 1'b1;
    @(negedge clk);
    abort = 1'b0;
    wait_drained();
    checks = checks + 1;
    if (n_got != base_got + 1 || !abort_done) fail("abort at a boundary: want exactly one marker");

    // clear: everything forgotten, consumed back to 0.
    clear = 1'b1;
    @(negedge clk);
    clear = 1'b0;
    checks = checks + 1;
    if (consumed != 0 || buffered != 0 || abort_done || !empty) fail("clear");
    record(2);
    wait_drained();

    if (failures == 0) $display("TB PASS loci_link_in checks=%0d events=%0d", checks, n_got);
    else $display("TB FAIL loci_link_in failures=%0d", failures);
    $finish;
  end

  initial begin
    #20_000_000;
    $display("TB FAIL: timeout (%0d of %0d events)", n_got, n_exp);
    $finish;
  end
endmodule

`default_nettype wire

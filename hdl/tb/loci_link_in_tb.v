// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_link_in: random input streams (axon words, step-end words `0x8000 | k`)
// written as words while a consumer pops events at random; checks the event sequence (an axon
// per axon word, k end-of-step markers per step-end word) and, every clock, that `buffered`
// equals the words written minus the words taken out (an axon word when its event is taken, a
// step-end word with its last marker); then ABORT in the middle of a step (the buffered axons,
// one marker, nothing after), ABORT with a step-end word of several steps at the head (one
// marker), ABORT at a boundary with nothing buffered (one made-up marker), and discard / clear.

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
  wire [6:0] buffered;
  wire empty;

  loci_link_in #(.Depth(Depth), .AxonW(10)) u_dut (
    .clk_i(clk), .rst_ni(rst_n), .clear_i(clear), .discard_i(discard), .abort_i(abort),
    .wdata_i(wdata), .wvalid_i(wvalid),
    .ev_valid_o(ev_valid), .ev_eos_o(ev_eos), .ev_axon_o(ev_axon), .ev_pop_i(ev_ready),
    .buffered_o(buffered), .empty_o(empty)
  );

  `include "loci_tb_check.vh"

  // Expected events: {takes a word out of the buffer, eos, axon}.
  reg [11:0] exp_ev [0:65535];
  integer n_exp = 0;
  integer n_got = 0;
  integer words_written = 0;
  integer words_taken = 0;
  integer seed = 17;
  reg consume = 1'b1;
  // The buffer's count is checked while this is set (not across discard / clear).
  reg count_check = 1'b1;

  always @(posedge clk) begin
    if (rst_n && ev_valid && ev_ready) begin
      checks = checks + 1;
      if (n_got >= n_exp) fail("event nobody expected");
      else begin
        if ({ev_eos, ev_eos ? 10'd0 : ev_axon} !== exp_ev[n_got][10:0]) begin
          $display("event %0d: eos %0d axon %0d, want %03x", n_got, ev_eos, ev_axon, exp_ev[n_got][10:0]);
          fail("wrong event");
        end
        if (exp_ev[n_got][11]) words_taken = words_taken + 1;
      end
      n_got = n_got + 1;
    end
    if (rst_n && wvalid) words_written = words_written + 1;
    ev_ready <= consume && ($urandom(seed) % 3 != 0);
  end

  always @(negedge clk) begin
    if (rst_n && count_check) begin
      checks = checks + 1;
      if (buffered !== 7'(words_written - words_taken)) begin
        $display("buffered %0d, written %0d taken %0d", buffered, words_written, words_taken);
        fail("buffered");
      end
    end
  end

  // Write one word (waits while the buffer is full, as the engine's credit check would).
  task automatic put(input [15:0] w);
    begin
      while (buffered > Depth) @(negedge clk);
      wdata = w;
      wvalid = 1'b1;
      @(negedge clk);
      wvalid = 1'b0;
    end
  endtask

  task automatic expect_ev(input taken, input eos, input [9:0] axon);
    begin
      exp_ev[n_exp] = {taken, eos, axon};
      n_exp = n_exp + 1;
    end
  endtask

  // A step's n axons (not yet ended).
  task automatic axons(input integer n);
    integer i;
    reg [9:0] a;
    begin
      for (i = 0; i < n; i = i + 1) begin
        a = $urandom(seed);
        put({6'd0, a});
        expect_ev(1'b1, 1'b0, a);
      end
    end
  endtask

  // k step ends in one word.
  task automatic step_ends(input integer k);
    integer i;
    begin
      put(16'h8000 | k[15:0]);
      for (i = 0; i < k; i = i + 1) expect_ev(i == k - 1, 1'b1, 10'd0);
    end
  endtask

  task automatic wait_drained;
    begin
      while (n_got < n_exp) @(negedge clk);
      repeat (5) @(negedge clk);
    end
  endtask

  // The end of a run: discard what is left; the buffer is empty and counts from 0 again.
  task automatic discard_all;
    begin
      count_check = 1'b0;
      discard = 1'b1;
      @(negedge clk);
      discard = 1'b0;
      @(negedge clk);
      checks = checks + 1;
      if (buffered != 0 || !empty) fail("discard left words");
      words_written = 0;
      words_taken = 0;
      count_check = 1'b1;
    end
  endtask

  integer k, base_got;
  initial begin
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    @(negedge clk);
    checks = checks + 1;
    if (!empty || ev_valid) fail("not empty after reset");

    // Random steps: axons (up to more than the buffer holds), then 1..5 step ends.
    for (k = 0; k < 300; k = k + 1) begin
      case ($urandom(seed) % 4)
        0: step_ends(1);
        1: step_ends(1 + $urandom(seed) % 5);
        default: begin
          axons(1 + $urandom(seed) % ((k % 50 == 7) ? 90 : 40));
          step_ends(1);
        end
      endcase
    end
    wait_drained();
    checks = checks + 2;
    if (buffered != 0) fail("buffered not 0 after draining");
    if (!empty) fail("not empty after draining");

    // ABORT inside a step: 3 axons buffered, the consumer is paused.
    consume = 1'b0;
    for (k = 0; k < 3; k = k + 1) begin
      put(16'd100 + k[15:0]);
      expect_ev(1'b1, 1'b0, 10'd100 + k[9:0]);
    end
    expect_ev(1'b0, 1'b1, 10'd0);
    @(negedge clk);
    abort = 1'b1;
    @(negedge clk);
    abort = 1'b0;
    consume = 1'b1;
    wait_drained();
    checks = checks + 1;
    if (ev_valid) fail("events after the abort's marker");
    // Words that arrive after the abort are not delivered.
    put(16'd1);
    put(16'h8001);
    repeat (20) @(negedge clk);
    checks = checks + 1;
    if (ev_valid || n_got != n_exp) fail("delivered after the abort");
    discard_all();

    // ABORT with a step-end word of 5 steps at the head: one marker ends the step in progress.
    consume = 1'b0;
    put(16'h8005);
    expect_ev(1'b0, 1'b1, 10'd0);
    repeat (3) @(negedge clk);
    abort = 1'b1;
    @(negedge clk);
    abort = 1'b0;
    consume = 1'b1;
    wait_drained();
    repeat (20) @(negedge clk);
    checks = checks + 1;
    if (ev_valid || n_got != n_exp) fail("abort on a step-end word: want exactly one marker");
    discard_all();

    // ABORT at a boundary with nothing buffered: one made-up marker.
    base_got = n_got;
    expect_ev(1'b0, 1'b1, 10'd0);
    abort = 1'b1;
    @(negedge clk);
    abort = 1'b0;
    wait_drained();
    repeat (20) @(negedge clk);
    checks = checks + 1;
    if (n_got != base_got + 1 || ev_valid) fail("abort at a boundary: want exactly one marker");

    // clear: everything forgotten, delivering again.
    count_check = 1'b0;
    put(16'd9);
    clear = 1'b1;
    @(negedge clk);
    clear = 1'b0;
    @(negedge clk);
    checks = checks + 1;
    if (buffered != 0 || !empty || ev_valid) fail("clear");
    words_written = 0;
    words_taken = 0;
    count_check = 1'b1;
    axons(2);
    step_ends(2);
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

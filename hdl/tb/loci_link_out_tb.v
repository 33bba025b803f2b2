// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_link_out: random steps of recorded spikes (ascending) and quiet stretches
// (one long enough to split a step-end word at 32767) from a producer that waits on sp_ready_o,
// while a reader polls like the engine does for POLL: it frees the words of its last answer
// (`taken`, checked by taken_ok_o, sometimes 0 as if the answer had been lost), then reads up to
// 1..20 words through the read port while more_o says there are some. Checks every word against
// a model of docs/protocol.md §7.2 (a word per spike, `0x8000 | k` for k step ends in a row),
// that a lost answer's words come again, that `taken` past the words held is refused, that the
// producer is held back (no word overwritten) while the buffer is full, flush, and clear.

`default_nettype none
`timescale 1ns / 1ps

module loci_link_out_tb;
  localparam integer Depth = 256;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  reg clear = 1'b0, flush = 1'b0;
  reg sp_valid = 1'b0, sp_eos = 1'b0;
  reg [7:0] sp_neuron = 8'd0;
  wire sp_ready;
  wire flushed;
  reg [15:0] taken = 16'd0;
  wire taken_ok;
  reg free = 1'b0;
  reg [7:0] rd_k = 8'd0;
  wire [15:0] rd_word;
  wire more;

  loci_link_out #(.Depth(Depth), .NeuronW(8)) u_dut (
    .clk_i(clk), .rst_ni(rst_n), .clear_i(clear),
    .sp_valid_i(sp_valid), .sp_eos_i(sp_eos), .sp_neuron_i(sp_neuron), .sp_ready_o(sp_ready),
    .flush_i(flush), .flushed_o(flushed),
    .taken_i(taken), .taken_ok_o(taken_ok), .free_i(free),
    .rd_k_i(rd_k), .rd_word_o(rd_word), .more_o(more)
  );

  `include "loci_tb_check.vh"

  // The model's output stream.
  reg [15:0] exp_w [0:65535];
  integer n_exp = 0;
  integer pending_ends = 0;
  task automatic model_flush_ends;
    begin
      if (pending_ends > 0) begin
        exp_w[n_exp] = 16'h8000 | pending_ends[15:0];
        n_exp = n_exp + 1;
        pending_ends = 0;
      end
    end
  endtask

  integer seed = 23;
  // Producer: one event per accepted handshake.
  task automatic emit(input eos, input [7:0] neuron);
    begin
      sp_valid <= 1'b1;
      sp_eos <= eos;
      sp_neuron <= neuron;
      @(posedge clk);
      while (!sp_ready) @(posedge clk);
      sp_valid <= 1'b0;
      if ($urandom(seed) % 4 == 0) @(posedge clk);
    end
  endtask

  // A step with n recorded spikes (ascending neurons), then its end.
  task automatic step_with(input integer n);
    integer i, j;
    begin
      if (n > 0) model_flush_ends();
      j = $urandom(seed) % 8;
      for (i = 0; i < n; i = i + 1) begin
        j = j + 1 + $urandom(seed) % 5;
        emit(1'b0, j[7:0]);
        exp_w[n_exp] = j[15:0];
        n_exp = n_exp + 1;
      end
      emit(1'b1, 8'd0);
      pending_ends = pending_ends + 1;
      if (pending_ends == 32767) model_flush_ends();
    end
  endtask

  // Reader: one POLL. Frees `t` words, then reads up to `max` words from the oldest held; the
  // answer is `ans_n` words (checked against the model from `got`).
  integer got = 0;            // words the reader has taken (in order)
  integer ans_n = 0;          // words in the reader's last answer
  reg [15:0] ans_w [0:255];
  task automatic poll(input integer t, input integer max);
    integer k;
    begin
      @(negedge clk);
      taken = t[15:0];
      @(negedge clk);
      checks = checks + 1;
      if (!taken_ok) fail("taken refused (it is no more than the words held)");
      free = 1'b1;
      @(negedge clk);
      free = 1'b0;
      taken = 16'd0;
      ans_n = 0;
      rd_k = 8'd0;
      #1;
      while (ans_n < max && more) begin
        @(negedge clk);
        ans_w[ans_n] = rd_word;
        ans_n = ans_n + 1;
        rd_k = 8'(ans_n);
        #1;
      end
      rd_k = 8'd0;
    end
  endtask

  reg reading = 1'b1;
  integer i_r, lost_words, max_r;
  reg lose;
  initial begin
    @(posedge rst_n);
    forever begin
      @(negedge clk);
      if (reading) begin
        // Free the last answer, unless it was lost (then its words come again).
        lose = ($urandom(seed) % 9 == 0);
        lost_words = lose ? ans_n : 0;
        if (!lose) got = got + ans_n;
        max_r = 1 + $urandom(seed) % 20;
        poll(lose ? 0 : ans_n, max_r);
        for (i_r = 0; i_r < ans_n; i_r = i_r + 1) begin
          checks = checks + 1;
          if (got + i_r >= n_exp) fail("a word the model has not produced");
          else if (ans_w[i_r] !== exp_w[got + i_r]) begin
            $display("word %0d: %04x want %04x", got + i_r, ans_w[i_r], exp_w[got + i_r]);
            fail("wrong output word");
          end
        end
        checks = checks + 1;
        if (ans_n < lost_words && ans_n < max_r) fail("a lost answer's words did not come again");
        // Sometimes a POLL that frees more than is held: refused.
        if ($urandom(seed) % 13 == 0) begin
          taken = ans_n[15:0] + 16'd1 + 16'($urandom(seed) % 4);
          if (got + taken > n_exp) begin
            // more than could be held: must be refused
            @(negedge clk);
            @(negedge clk);
            checks = checks + 1;
            if (taken_ok && got + taken > n_exp) fail("taken past the words held was accepted");
          end
          taken = 16'(Depth + 1) + 16'($urandom(seed) % 3000);
          @(negedge clk);
          @(negedge clk);
          checks = checks + 1;
          if (taken_ok) fail("taken of more than Depth accepted");
          taken = 16'd0;
        end
      end
    end
  end

  // Drain: poll until the reader has every model word.
  task automatic wait_all;
    begin
      while (got + ans_n < n_exp) @(negedge clk);
      repeat (200) @(negedge clk);
    end
  endtask

  integer k, held, i_h;
  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    for (k = 0; k < 1500; k = k + 1) begin
      case ($urandom(seed) % 3)
        0: step_with(0);
        default: step_with(1 + $urandom(seed) % 12);
      endcase
    end
    // A quiet stretch longer than one step-end word.
    for (k = 0; k < 32800; k = k + 1) step_with(0);
    step_with(3);
    for (k = 0; k < 5; k = k + 1) step_with(0);
    // The end of the run: the pending step ends become one word.
    checks = checks + 1;
    if (flushed) fail("flushed with step ends pending");
    @(posedge clk);
    flush <= 1'b1;
    model_flush_ends();
    repeat (4) @(posedge clk);
    checks = checks + 1;
    if (!flushed) fail("not flushed");
    flush <= 1'b0;
    wait_all();

    // A held-back producer: the reader stops, the buffer fills, sp_ready falls and stays low.
    reading = 1'b0;
    repeat (50) @(posedge clk);
    got = got + ans_n;
    ans_n = 0;
    fork
      begin
        for (k = 0; k < 60; k = k + 1) step_with(5);
      end
      begin
        repeat (3000) @(negedge clk);
        checks = checks + 1;
        if (!sp_valid || sp_ready) fail("producer not held back while full");
        // Every word held is the model's (none overwritten) and the buffer is (nearly) full.
        poll(0, Depth);
        held = ans_n;
        for (i_h = 0; i_h < held; i_h = i_h + 1) begin
          checks = checks + 1;
          if (ans_w[i_h] !== exp_w[got + i_h]) fail("a word held while full differs");
        end
        ans_n = 0;
        checks = checks + 1;
        if (held > Depth || held < Depth - 1) begin
          $display("held %0d", held);
          fail("full buffer does not hold Depth words");
        end
        reading = 1'b1;
      end
    join
    wait_all();

    // clear: the words held are forgotten; a new stream starts from nothing.
    reading = 1'b0;
    repeat (50) @(posedge clk);
    step_with(2);
    step_with(0);
    @(posedge clk);
    clear <= 1'b1;
    @(posedge clk);
    clear <= 1'b0;
    @(negedge clk);
    checks = checks + 2;
    if (more) fail("words held after clear");
    if (!flushed) fail("step ends pending after clear");
    got = n_exp;
    ans_n = 0;
    pending_ends = 0;
    step_with(1);
    model_flush_ends();
    flush <= 1'b1;
    reading = 1'b1;
    wait_all();
    flush <= 1'b0;

    if (failures == 0) $display("TB PASS loci_link_out checks=%0d words=%0d", checks, got + ans_n);
    else $display("TB FAIL loci_link_out failures=%0d", failures);
    $finish;
  end

  initial begin
    #200_000_000;
    $display("TB FAIL: timeout (got %0d of %0d words)", got, n_exp);
    $finish;
  end
endmodule

`default_nettype wire

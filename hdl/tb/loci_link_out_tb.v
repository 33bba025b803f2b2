// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_link_out: random steps of recorded spikes (ascending) and quiet stretches
// (one long enough to split a skip word at 32767) from a producer that waits on sp_ready_o,
// while a reader takes EVENTS-sized chunks through the read port and acknowledges them, with
// random RESENDs and out-of-range acknowledgements. Checks every output word against a model
// of docs/protocol.md §7.2, that unacknowledged words are never overwritten (the producer is
// held back when the buffer is full), flush, and that a new stream cannot be corrupted by a
// frame of the old one finishing late.

`default_nettype none
`timescale 1ns / 1ps

module loci_link_out_tb;
  localparam integer Depth = 64;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  reg clear = 1'b0, flush = 1'b0;
  reg sp_valid = 1'b0, sp_eos = 1'b0;
  reg [7:0] sp_neuron = 8'd0;
  wire sp_ready;
  wire flushed;
  reg ack = 1'b0, resend = 1'b0;
  reg [31:0] ack_received = 32'd0;
  reg frame_start = 1'b0, advance = 1'b0;
  reg [7:0] advance_n = 8'd0;
  reg [5:0] rd_index = 6'd0;
  wire [15:0] rd_word;
  wire [31:0] acked;
  wire [6:0] written_off, sent_off;
  wire [5:0] sent_slot;
  // Absolute positions, from acked and the offsets.
  wire [31:0] written = acked + written_off;
  wire [31:0] sent = acked + sent_off;
  wire blocked;

  loci_link_out #(.Depth(Depth), .NeuronW(8)) u_dut (
    .clk_i(clk), .rst_ni(rst_n), .clear_i(clear),
    .sp_valid_i(sp_valid), .sp_eos_i(sp_eos), .sp_neuron_i(sp_neuron), .sp_ready_o(sp_ready),
    .flush_i(flush), .flushed_o(flushed),
    .ack_i(ack), .ack_received_i(ack_received), .ack_resend_i(resend),
    .frame_start_i(frame_start), .advance_i(advance), .advance_n_i(advance_n),
    .rd_index_i(rd_index), .rd_word_o(rd_word),
    .acked_o(acked), .written_off_o(written_off), .sent_off_o(sent_off), .sent_slot_o(sent_slot),
    .blocked_o(blocked)
  );

  `include "loci_tb_check.vh"

  // The model's output stream.
  reg [15:0] exp_w [0:65535];
  integer n_exp = 0;
  integer pending_skip = 0;
  task automatic model_flush_skip;
    begin
      if (pending_skip > 0) begin
        exp_w[n_exp] = 16'h8000 | pending_skip[15:0];
        n_exp = n_exp + 1;
        pending_skip = 0;
      end
    end
  endtask

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

  integer seed = 23;
  task automatic step_with(input integer n);
    integer i, j;
    begin
      if (n == 0) begin
        emit(1'b1, 8'd0);
        pending_skip = pending_skip + 1;
        if (pending_skip == 32767) model_flush_skip();
      end else begin
        model_flush_skip();
        exp_w[n_exp] = n[15:0];
        n_exp = n_exp + 1;
        j = $urandom(seed) % 8;
        for (i = 0; i < n; i = i + 1) begin
          j = j + 1 + $urandom(seed) % 5;
          emit(1'b0, j[7:0]);
          exp_w[n_exp] = j[15:0];
          n_exp = n_exp + 1;
        end
        emit(1'b1, 8'd0);
      end
    end
  endtask

  // Reader: EVENTS frames of up to 7 words from `sent`, then an acknowledgement; sometimes a
  // RESEND, sometimes a bad acknowledgement that must be ignored.
  integer got = 0;            // words the reader has (in order)
  reg reading = 1'b1;
  integer i_r, n_r, off_r;
  reg lose;  // this frame counts as damaged: its words are dropped and a RESEND follows
  initial begin
    @(posedge rst_n);
    forever begin
      @(negedge clk);
      if (reading && written > sent) begin
        n_r = written - sent;
        if (n_r > 7) n_r = 7;
        off_r = sent;
        checks = checks + 1;
        if (sent_slot !== sent[5:0]) fail("sent_slot is not sent mod Depth");
        lose = ($urandom(seed) % 9 == 0);
        frame_start = 1'b1;
        @(negedge clk);
        frame_start = 1'b0;
        for (i_r = 0; i_r < n_r; i_r = i_r + 1) begin
          rd_index = off_r + i_r;
          @(negedge clk);
          @(negedge clk);
          checks = checks + 1;
          if (lose) begin
            // dropped
          end else if (off_r + i_r < got) begin
            // A resent word must equal what was read before.
            if (rd_word !== exp_w[off_r + i_r]) fail("resent word differs");
          end else if (off_r + i_r == got) begin
            if (rd_word !== exp_w[got]) begin
              $display("word %0d: %04x want %04x", got, rd_word, exp_w[got]);
              fail("wrong output word");
            end
            got = got + 1;
          end
        end
        advance_n = n_r[7:0];
        advance = 1'b1;
        @(negedge clk);
        advance = 1'b0;
        ack_received = got;
        resend = lose;
        ack = 1'b1;
        @(negedge clk);
        ack = 1'b0;
        if ($urandom(seed) % 13 == 0) begin
          // Out of range: beyond written, and before acked. Both ignored.
          ack_received = written + 5;
          ack = 1'b1;
          @(negedge clk);
          ack_received = (acked > 0) ? acked - 1 : 32'hffffffff;
          @(negedge clk);
          ack = 1'b0;
        end
      end
      if (rst_n) begin
        checks = checks + 1;
        if (sent > written) fail("sent past written");
        if (written - acked > Depth) fail("more than Depth words unacknowledged");
      end
    end
  end

  integer k;
  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    for (k = 0; k < 400; k = k + 1) begin
      case ($urandom(seed) % 3)
        0: step_with(0);
        default: step_with(1 + $urandom(seed) % 12);
      endcase
    end
    // A quiet stretch longer than one skip word.
    for (k = 0; k < 32800; k = k + 1) step_with(0);
    step_with(3);
    for (k = 0; k < 5; k = k + 1) step_with(0);
    // The end of the run: the pending quiet steps become one word.
    @(posedge clk);
    flush <= 1'b1;
    @(posedge clk);
    flush <= 1'b0;
    model_flush_skip();
    @(posedge clk);
    checks = checks + 2;
    if (!flushed) fail("not flushed");
    wait (got == n_exp);
    repeat (20) @(posedge clk);
    if (written != n_exp) fail("written != model words");

    // A held-back producer: the reader stops, the buffer fills, sp_ready falls.
    reading = 1'b0;
    repeat (5) @(posedge clk);
    fork
      begin
        for (k = 0; k < 40; k = k + 1) step_with(5);
      end
      begin
        wait (blocked);
        checks = checks + 1;
        if (written - acked > Depth) fail("overwrote unacknowledged words");
        repeat (50) @(posedge clk);
        checks = checks + 1;
        if (!blocked || sp_ready) fail("producer not held back while full");
        reading = 1'b1;
      end
    join
    wait (got == n_exp);

    // clear while a frame of the old stream is going out: its advance must not count.
    frame_start <= 1'b0;
    @(posedge clk);
    clear <= 1'b1;
    @(posedge clk);
    clear <= 1'b0;
    advance_n <= 8'd7;
    advance <= 1'b1;
    @(posedge clk);
    advance <= 1'b0;
    @(posedge clk);
    checks = checks + 1;
    if (sent != 0 || written != 0 || acked != 0) fail("late advance moved the new stream");

    if (failures == 0) $display("TB PASS loci_link_out checks=%0d words=%0d", checks, got);
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

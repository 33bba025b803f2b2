// SPDX-License-Identifier: Apache-2.0
// The output side of a run (docs/protocol.md §7.2, §7.4): turns the core's recorded spikes and
// end-of-step markers into output words (a neuron index per spike, `0x8000 | k` for k step
// ends in a row) in a buffer that keeps every word until the host's POLL says it has taken it.
// The core stalls while the buffer is full.

`default_nettype none

module loci_link_out #(
  // Buffer words: a power of two (one EBR holds 256 x 16).
  parameter integer Depth = 256,
  parameter integer NeuronW = 8,
  // Slot bits (derived; do not override).
  parameter integer AW = $clog2(Depth)
) (
  input  wire               clk_i,
  input  wire               rst_ni,
  // Start a new stream (RUN, RESET): everything is forgotten.
  input  wire               clear_i,
  // From the core: a recorded spike (eos 0) or the end of a step (eos 1).
  input  wire               sp_valid_i,
  input  wire               sp_eos_i,
  input  wire [NeuronW-1:0] sp_neuron_i,
  output wire               sp_ready_o,
  // Write the pending step-end word as soon as there is room (a level): the run has ended, or
  // the core waits for input (so the host sees the steps that have ended).
  input  wire               flush_i,
  output wire               flushed_o,
  // POLL: the host has taken the `taken_i` oldest words. `taken_ok_o`: no more than are held;
  // `free_i` (one clock) then frees them.
  input  wire [15:0]        taken_i,
  output wire               taken_ok_o,
  input  wire               free_i,
  // Reading for the POLL answer: the k-th oldest word appears on rd_word_o one clock later;
  // `more_o`: there is a k-th word.
  input  wire [7:0]         rd_k_i,
  output reg  [15:0]        rd_word_o,
  output wire               more_o
);

  localparam [14:0] MAX_SKIP = 15'h7fff;

  initial begin
    if ((1 << AW) != Depth || Depth < 256) begin
      $error("loci_link_out: Depth = %0d, need a power of two >= 256", Depth);
      $finish;
    end
  end

  (* no_rw_check *) reg [15:0] mem [0:Depth-1];

  // Positions of the oldest word held and of the next word to write (with a wrap bit).
  reg [AW:0] rpos_q, wpos_q;
  // Step ends not yet written.
  reg [14:0] skip_q;
  // Registered decisions for the core's ready (it may reach the core's clock enable): room for a
  // word (with a margin of one: it is a clock late), no step end pending, the next step end
  // fills a skip word.
  reg room_q, skip_zero_q, skip_full_q;
  // The flush request, a clock late (it must not reach the core's ready through logic).
  reg flush_q;

  wire [AW:0] fill = wpos_q - rpos_q;
  wire flush_now = flush_q && !skip_zero_q && room_q;
  assign sp_ready_o = sp_eos_i ? ((!skip_full_q || room_q) && !flush_now) : (skip_zero_q && room_q);
  assign flushed_o  = skip_zero_q;

  wire take = sp_valid_i && sp_ready_o;
  // One buffer write per clock: the pending step ends before a spike (or when flushed), a
  // spike, or a full skip word.
  wire write_skip = flush_now || (room_q && !skip_zero_q && sp_valid_i && !sp_eos_i);
  wire write_spike = take && !sp_eos_i;
  wire write_full = take && sp_eos_i && skip_full_q;
  wire we = write_skip || write_spike || write_full;
  wire [15:0] wdata = write_skip ? {1'b1, skip_q} : write_full ? {1'b1, MAX_SKIP} : {{(16 - NeuronW){1'b0}}, sp_neuron_i};

  assign more_o = ({1'b0, rd_k_i} != fill);
  assign taken_ok_o = (taken_i[15:AW+1] == '0) && (taken_i[AW:0] <= fill);

  // The slot of the k-th oldest word (wraps around the buffer; an explicit AW-bit sum, so no
  // tool widens the index past the array).
  wire [AW-1:0] rd_slot = rpos_q[AW-1:0] + rd_k_i[AW-1:0];
  always @(posedge clk_i) begin
    if (we) mem[wpos_q[AW-1:0]] <= wdata;
    rd_word_o <= mem[rd_slot];
  end

  reg [14:0] skip_d;
  always @(*) begin
    skip_d = skip_q;
    if (write_skip || write_full) skip_d = 15'd0;
    else if (take && sp_eos_i) skip_d = skip_q + 1'b1;
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rpos_q      <= '0;
      wpos_q      <= '0;
      skip_q      <= 15'd0;
      room_q      <= 1'b1;
      skip_zero_q <= 1'b1;
      skip_full_q <= 1'b0;
      flush_q     <= 1'b0;
    end else if (clear_i) begin
      rpos_q      <= '0;
      wpos_q      <= '0;
      skip_q      <= 15'd0;
      room_q      <= 1'b1;
      skip_zero_q <= 1'b1;
      skip_full_q <= 1'b0;
      flush_q     <= 1'b0;
    end else begin
      flush_q     <= flush_i;
      if (free_i) rpos_q <= rpos_q + taken_i[AW:0];
      if (we) wpos_q <= wpos_q + 1'b1;
      skip_q      <= skip_d;
      // At most one word is written per clock and this clock's write is not in `fill` yet.
      room_q      <= (fill < (AW + 1)'(Depth - 1));
      skip_zero_q <= (skip_d == 15'd0);
      skip_full_q <= (skip_d == MAX_SKIP - 1'b1);
    end
  end

endmodule

`default_nettype wire

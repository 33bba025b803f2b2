// SPDX-License-Identifier: Apache-2.0
// The output side of a run (docs/protocol.md §7.2, §7.4): turns the core's recorded spikes and
// end-of-step markers into output words (`n` then n neuron indices per spiking step, `0x8000|k`
// for k quiet steps) in a retention buffer that keeps every word until the host acknowledges
// it (EVACK), so damaged EVENTS frames can be resent. The core stalls while there is no room.

`default_nettype none

module loci_link_out #(
  // Retention buffer words: a power of two (one EBR holds 256 x 16).
  parameter integer Depth = 256,
  parameter integer NeuronW = 8
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
  // The run has ended: write the pending quiet-step word (a pulse; the stream is complete
  // once flushed_o is high).
  input  wire               flush_i,
  output wire               flushed_o,
  // EVACK from the host: it holds every word before `ack_received_i`; with `ack_resend_i`
  // sending restarts there.
  input  wire               ack_i,
  input  wire [31:0]        ack_received_i,
  input  wire               ack_resend_i,
  // EVENTS sending: words [sent, written) are ready. `frame_start_i` marks the start of an
  // EVENTS frame (which carries words from `sent` on); `advance_i` moves `sent` on by
  // `advance_n_i` words once it has gone out, unless an acknowledgement moved `sent` meanwhile
  // (a RESEND wins: sending restarts where the host asked).
  input  wire               frame_start_i,
  input  wire               advance_i,
  input  wire [7:0]         advance_n_i,
  // Read port for the EVENTS payload: stream index (mod Depth) in, word out one clock later.
  input  wire [$clog2(Depth)-1:0] rd_index_i,
  output reg  [15:0]        rd_word_o,
  // Stream positions (words since the start of the run).
  output reg  [31:0]        written_o,
  output reg  [31:0]        sent_o,
  output reg  [31:0]        acked_o,
  // The core is waiting for room (for the EVENTS rule "the core is waiting").
  output wire               blocked_o
);

  localparam integer AW = $clog2(Depth);
  localparam [14:0] MAX_SKIP = 15'h7fff;

  initial begin
    if ((1 << AW) != Depth || Depth < 8) begin
      $error("loci_link_out: Depth = %0d, need a power of two >= 8", Depth);
      $finish;
    end
  end

  reg [15:0] mem [0:Depth-1];

  // Next free position (stream index); words of the step in progress sit in
  // [written_o, wr_pos_q) and are not sent before the step ends.
  reg [31:0] wr_pos_q;
  // Buffer slot of the count word of the step in progress, and its spikes so far.
  reg [AW-1:0] rec_pos_q;
  reg [NeuronW:0] rec_n_q;
  // Quiet steps not yet written.
  reg [14:0] skip_q;
  // A skip word must be written before the next spike can be taken.
  wire skip_first = sp_valid_i && !sp_eos_i && (rec_n_q == 0) && (skip_q != 15'd0);
  // Room for the worst a spike can need: the skip word, the count word and the spike.
  wire room = (wr_pos_q - acked_o) <= 32'(Depth - 3);
  assign sp_ready_o = room && !skip_first && !flush_i;
  assign blocked_o  = sp_valid_i && !room;
  assign flushed_o  = (skip_q == 15'd0) && (rec_n_q == 0);

  // `sent` was moved (an acknowledgement, a new stream) since the current EVENTS frame started.
  reg moved_q;
  wire [31:0] sent_next = (advance_i && !moved_q) ? sent_o + {24'd0, advance_n_i} : sent_o;
  wire ack_ok = ack_i && ack_received_i >= acked_o && ack_received_i <= written_o;
  wire ack_moves = ack_ok && (ack_resend_i || ack_received_i > sent_next);

  // One buffer write per clock.
  reg we;
  reg [AW-1:0] waddr;
  reg [15:0] wdata;
  always @(*) begin
    we = 1'b0;
    waddr = wr_pos_q[AW-1:0];
    wdata = 16'd0;
    if ((skip_first && room) || (flush_i && skip_q != 15'd0)) begin
      we = 1'b1;
      wdata = {1'b1, skip_q};
    end else if (sp_valid_i && sp_ready_o) begin
      if (!sp_eos_i) begin
        we = 1'b1;
        waddr = (rec_n_q == 0) ? wr_pos_q[AW-1:0] + 1'b1 : wr_pos_q[AW-1:0];
        wdata = {{(16 - NeuronW){1'b0}}, sp_neuron_i};
      end else if (rec_n_q != 0) begin
        we = 1'b1;
        waddr = rec_pos_q;
        wdata = {{(15 - NeuronW){1'b0}}, rec_n_q};
      end else if (skip_q == MAX_SKIP - 1'b1) begin
        we = 1'b1;
        wdata = {1'b1, MAX_SKIP};
      end
    end
  end

  always @(posedge clk_i) begin
    if (we) mem[waddr] <= wdata;
    rd_word_o <= mem[rd_index_i];
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_pos_q  <= 32'd0;
      rec_pos_q <= '0;
      rec_n_q   <= '0;
      skip_q    <= 15'd0;
      written_o <= 32'd0;
      sent_o    <= 32'd0;
      acked_o   <= 32'd0;
      moved_q   <= 1'b0;
    end else if (clear_i) begin
      wr_pos_q  <= 32'd0;
      rec_pos_q <= '0;
      rec_n_q   <= '0;
      skip_q    <= 15'd0;
      written_o <= 32'd0;
      sent_o    <= 32'd0;
      acked_o   <= 32'd0;
      // A frame of the old stream may still be going out: its advance must not count.
      moved_q   <= 1'b1;
    end else begin
      if ((skip_first && room) || (flush_i && skip_q != 15'd0)) begin
        wr_pos_q  <= wr_pos_q + 1'b1;
        written_o <= wr_pos_q + 1'b1;
        skip_q    <= 15'd0;
      end else if (sp_valid_i && sp_ready_o) begin
        if (!sp_eos_i) begin
          if (rec_n_q == 0) begin
            rec_pos_q <= wr_pos_q[AW-1:0];
            wr_pos_q  <= wr_pos_q + 32'd2;
          end else begin
            wr_pos_q <= wr_pos_q + 1'b1;
          end
          rec_n_q <= rec_n_q + 1'b1;
        end else if (rec_n_q != 0) begin
          written_o <= wr_pos_q;
          rec_n_q   <= '0;
        end else if (skip_q == MAX_SKIP - 1'b1) begin
          wr_pos_q  <= wr_pos_q + 1'b1;
          written_o <= wr_pos_q + 1'b1;
          skip_q    <= 15'd0;
        end else begin
          skip_q <= skip_q + 1'b1;
        end
      end

      // A frame went out, and/or an acknowledgement came in (the same clock is allowed):
      // acknowledgements only move forward and never past what has been written; RESEND
      // restarts sending at the acknowledged position.
      if (ack_ok) acked_o <= ack_received_i;
      sent_o <= ack_moves ? ack_received_i : sent_next;
      // (An ack in a frame's first clock counts as moving: that frame's words go again.)
      if (ack_moves) moved_q <= 1'b1;
      else if (frame_start_i) moved_q <= 1'b0;
    end
  end

endmodule

`default_nettype wire

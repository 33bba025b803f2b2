// SPDX-License-Identifier: Apache-2.0
// The output side of a run (docs/protocol.md §7.2, §7.4): turns the core's recorded spikes and
// end-of-step markers into output words (`n` then n neuron indices per spiking step, `0x8000|k`
// for k quiet steps) in a retention buffer that keeps every word until the host acknowledges
// it (EVACK), so damaged EVENTS frames can be resent. The core stalls while there is no room.
// Stream positions are u32 on the wire; here only `acked` is held in full, and written, sent
// and the write position as offsets from it (they never differ from it by more than Depth).

`default_nettype none

module loci_link_out #(
  // Retention buffer words: a power of two (one EBR holds 256 x 16).
  parameter integer Depth = 256,
  parameter integer NeuronW = 8,
  // Offset bits (derived; do not override).
  parameter integer OW = $clog2(Depth) + 1
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
  // The run has ended: write the pending quiet-step word (a pulse).
  input  wire               flush_i,
  output wire               flushed_o,
  // EVACK: the host holds every word before `ack_received_i`; with `ack_resend_i` sending
  // restarts there. Ignored unless acked <= received <= written.
  input  wire               ack_i,
  input  wire [31:0]        ack_received_i,
  input  wire               ack_resend_i,
  // EVENTS sending: words from `sent` to `written` are ready. `frame_start_i` marks the start
  // of an EVENTS frame (which carries words from `sent` on); `advance_i` moves `sent` on by
  // `advance_n_i` words once it has gone out, unless `sent` was moved meanwhile (a RESEND, a
  // new stream): then the frame's words go again.
  input  wire               frame_start_i,
  input  wire               advance_i,
  input  wire [7:0]         advance_n_i,
  // Read port for the EVENTS payload: buffer slot in, word out one clock later.
  input  wire [OW-2:0]      rd_index_i,
  output reg  [15:0]        rd_word_o,
  // Stream positions: acked in full; written and sent as offsets from it; the buffer slot of
  // `sent` (where an EVENTS frame starts reading).
  output reg  [31:0]        acked_o,
  output reg  [OW-1:0]      written_off_o,
  output reg  [OW-1:0]      sent_off_o,
  output wire [OW-2:0]      sent_slot_o,
  // The core is waiting for room (for the EVENTS rule "the core is waiting").
  output wire               blocked_o
);

  localparam integer AW = OW - 1;
  localparam [14:0] MAX_SKIP = 15'h7fff;

  initial begin
    if ((1 << AW) != Depth || Depth < 8) begin
      $error("loci_link_out: Depth = %0d, need a power of two >= 8", Depth);
      $finish;
    end
  end

  reg [15:0] mem [0:Depth-1];

  // Next free position, as an offset from acked; the words of the step in progress sit in
  // [written, write position) and are not sent before the step ends.
  reg [OW-1:0] wr_off_q;
  // Buffer slot of the count word of the step in progress, and its spikes so far.
  reg [AW-1:0] rec_slot_q;
  reg [NeuronW:0] rec_n_q;
  // Quiet steps not yet written.
  reg [14:0] skip_q;
  // `sent` was moved (an acknowledgement, a new stream) since the current EVENTS frame started.
  reg moved_q;

  wire [AW-1:0] wr_slot = acked_o[AW-1:0] + wr_off_q[AW-1:0];
  assign sent_slot_o = acked_o[AW-1:0] + sent_off_o[AW-1:0];

  // A skip word must be written before the next spike can be taken.
  wire skip_first = sp_valid_i && !sp_eos_i && (rec_n_q == 0) && (skip_q != 15'd0);
  // Room for the worst a spike can need: the skip word, the count word and the spike.
  wire room = wr_off_q <= OW'(Depth - 3);
  assign sp_ready_o = room && !skip_first && !flush_i;
  assign blocked_o  = sp_valid_i && !room;
  assign flushed_o  = (skip_q == 15'd0) && (rec_n_q == 0);

  // One buffer write per clock, and how far the write position moves.
  wire write_skip = (skip_first && room) || (flush_i && skip_q != 15'd0);
  wire take = sp_valid_i && sp_ready_o;
  reg we;
  reg [AW-1:0] waddr;
  reg [15:0] wdata;
  reg [1:0] grow;        // write position += grow
  reg publish;           // written := the new write position
  always @(*) begin
    we = 1'b0;
    waddr = wr_slot;
    wdata = 16'd0;
    grow = 2'd0;
    publish = 1'b0;
    if (write_skip) begin
      we = 1'b1;
      wdata = {1'b1, skip_q};
      grow = 2'd1;
      publish = 1'b1;
    end else if (take) begin
      if (!sp_eos_i) begin
        we = 1'b1;
        waddr = (rec_n_q == 0) ? wr_slot + 1'b1 : wr_slot;
        wdata = {{(16 - NeuronW){1'b0}}, sp_neuron_i};
        grow = (rec_n_q == 0) ? 2'd2 : 2'd1;
      end else if (rec_n_q != 0) begin
        we = 1'b1;
        waddr = rec_slot_q;
        wdata = {{(15 - NeuronW){1'b0}}, rec_n_q};
        publish = 1'b1;
      end else if (skip_q == MAX_SKIP - 1'b1) begin
        we = 1'b1;
        wdata = {1'b1, MAX_SKIP};
        grow = 2'd1;
        publish = 1'b1;
      end
    end
  end

  always @(posedge clk_i) begin
    if (we) mem[waddr] <= wdata;
    rd_word_o <= mem[rd_index_i];
  end

  // Acknowledgement: received - acked must lie in [0, written]; the offsets then shrink by it.
  wire [31:0] ack_d = ack_received_i - acked_o;
  wire ack_ok = ack_i && (ack_d[31:OW] == '0) && (ack_d[OW-1:0] <= written_off_o);
  wire [OW-1:0] d = ack_d[OW-1:0];
  wire [OW-1:0] wr_next = wr_off_q + {{(OW - 2){1'b0}}, grow};
  wire [OW-1:0] sent_adv = (advance_i && !moved_q) ? sent_off_o + OW'(advance_n_i) : sent_off_o;
  // After an acknowledgement `sent` restarts at it with RESEND, else stays (or jumps up to it).
  wire ack_moves = ack_ok && (ack_resend_i || sent_adv < d);

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_off_q      <= '0;
      rec_slot_q    <= '0;
      rec_n_q       <= '0;
      skip_q        <= 15'd0;
      acked_o       <= 32'd0;
      written_off_o <= '0;
      sent_off_o    <= '0;
      moved_q       <= 1'b0;
    end else if (clear_i) begin
      wr_off_q      <= '0;
      rec_slot_q    <= '0;
      rec_n_q       <= '0;
      skip_q        <= 15'd0;
      acked_o       <= 32'd0;
      written_off_o <= '0;
      sent_off_o    <= '0;
      // A frame of the old stream may still be going out: its advance must not count.
      moved_q       <= 1'b1;
    end else begin
      // The formatter.
      if (write_skip) begin
        skip_q <= 15'd0;
      end else if (take) begin
        if (!sp_eos_i) begin
          if (rec_n_q == 0) rec_slot_q <= wr_slot;
          rec_n_q <= rec_n_q + 1'b1;
        end else if (rec_n_q != 0) begin
          rec_n_q <= '0;
        end else if (skip_q == MAX_SKIP - 1'b1) begin
          skip_q <= 15'd0;
        end else begin
          skip_q <= skip_q + 1'b1;
        end
      end

      // Positions: the writes above, the frame sent, and an acknowledgement, in one clock.
      if (ack_ok) begin
        acked_o       <= ack_received_i;
        wr_off_q      <= wr_next - d;
        written_off_o <= (publish ? wr_next : written_off_o) - d;
        sent_off_o    <= ack_moves ? '0 : sent_adv - d;
      end else begin
        wr_off_q <= wr_next;
        if (publish) written_off_o <= wr_next;
        sent_off_o <= sent_adv;
      end
      if (ack_moves) moved_q <= 1'b1;
      else if (frame_start_i) moved_q <= 1'b0;
    end
  end

endmodule

`default_nettype wire

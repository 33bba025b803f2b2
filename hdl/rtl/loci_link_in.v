// SPDX-License-Identifier: Apache-2.0
// The input side of a run (docs/protocol.md §7.1, §7.3): buffers the host's input words (the
// engine has validated them and checked the credit) and expands the records into the core's
// per-step event stream: the axons of a step, then an end-of-step marker; a skip word `k`
// becomes k end-of-step markers. Counts the words taken out of the buffer (`consumed`).

`default_nettype none

module loci_link_in #(
  // Buffer words: a power of two (one EBR holds 256 x 16).
  parameter integer Depth = 256,
  // Axon index bits.
  parameter integer AxonW = 10
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  // Empty the buffer and forget the record in progress (RUN start, RESET).
  input  wire             clear_i,
  // Abort: deliver what is buffered, then end the step in progress (a partial record, or an
  // empty step when the stream is at a record boundary) with one end-of-step marker.
  input  wire             abort_i,
  // Input words from validated INPUT frames; the engine never writes past the credit.
  input  wire [15:0]      wdata_i,
  input  wire             wvalid_i,
  // Events to the core: an axon (eos 0) or the end of a step (eos 1), first word falls through.
  output wire             ev_valid_o,
  output wire             ev_eos_o,
  output wire [AxonW-1:0] ev_axon_o,
  input  wire             ev_pop_i,
  // Words held: written and not yet taken out of the buffer, 0 .. Depth + 1.
  output reg  [15:0]      buffered_o,
  // Words taken out of the buffer since the last clear.
  output reg  [31:0]      consumed_o,
  // The abort's final end-of-step marker has been taken.
  output wire             abort_done_o,
  // Nothing buffered and no event pending.
  output wire             empty_o
);

  wire [15:0] head;
  wire head_valid;
  wire head_pop;
  wire fifo_wready_unused;
  wire [$clog2(Depth):0] fifo_level_unused;

  // Depth array words (one EBR at 256) plus the FIFO's output register.
  loci_link_fifo #(.Width(16), .Depth(Depth)) u_buf (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .clear_i (clear_i),
    .wdata_i (wdata_i),
    .wvalid_i(wvalid_i),
    .wready_o(fifo_wready_unused),
    .rdata_o (head),
    .rvalid_o(head_valid),
    .rready_i(head_pop),
    .level_o (fifo_level_unused)
  );

  // Expander state. Axon words still to deliver in the current record.
  reg [15:0] rec_left_q;
  // Steps without events still to deliver (from a skip word).
  reg [14:0] skip_left_q;
  // An end-of-step marker is due (after a record's last axon, or for an empty record).
  reg eos_due_q;
  // Abort in progress: drain, then one final end-of-step marker; done after it is taken.
  reg aborting_q, abort_final_q, abort_done_q;

  wire at_boundary = (rec_left_q == 16'd0) && (skip_left_q == 15'd0) && !eos_due_q;
  // A header word is taken out of the buffer as soon as it reaches the head.
  wire take_header = at_boundary && head_valid && !abort_final_q;
  wire axon_due    = (skip_left_q == 15'd0) && !eos_due_q && (rec_left_q != 16'd0);

  // An end-of-step marker is offered for the abort's final step, a skip, or a finished record;
  // otherwise the axon at the head of the buffer.
  wire eos_offer = abort_final_q || (skip_left_q != 15'd0) || eos_due_q;
  assign ev_valid_o = eos_offer || (axon_due && head_valid);
  assign ev_eos_o   = eos_offer;
  assign ev_axon_o  = head[AxonW-1:0];
  assign head_pop   = take_header || (axon_due && head_valid && ev_pop_i && !abort_final_q);
  assign abort_done_o = abort_done_q;
  assign empty_o    = at_boundary && !head_valid && !abort_final_q;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rec_left_q    <= 16'd0;
      skip_left_q   <= 15'd0;
      eos_due_q     <= 1'b0;
      aborting_q    <= 1'b0;
      abort_final_q <= 1'b0;
      abort_done_q  <= 1'b0;
      buffered_o    <= 16'd0;
      consumed_o    <= 32'd0;
    end else if (clear_i) begin
      rec_left_q    <= 16'd0;
      skip_left_q   <= 15'd0;
      eos_due_q     <= 1'b0;
      aborting_q    <= 1'b0;
      abort_final_q <= 1'b0;
      abort_done_q  <= 1'b0;
      buffered_o    <= 16'd0;
      consumed_o    <= 32'd0;
    end else begin
      buffered_o <= buffered_o + {15'd0, wvalid_i} - {15'd0, head_pop};
      if (head_pop) consumed_o <= consumed_o + 1'b1;
      if (abort_i) aborting_q <= 1'b1;

      if (take_header) begin
        if (head[15]) skip_left_q <= head[14:0];
        else if (head[14:0] == 15'd0) eos_due_q <= 1'b1;
        else rec_left_q <= {1'b0, head[14:0]};
      end else if (ev_pop_i && ev_valid_o) begin
        if (abort_final_q) begin
          abort_final_q <= 1'b0;
          abort_done_q  <= 1'b1;
        end else if (skip_left_q != 15'd0) begin
          skip_left_q <= skip_left_q - 1'b1;
        end else if (eos_due_q) begin
          eos_due_q <= 1'b0;
        end else begin
          rec_left_q <= rec_left_q - 1'b1;
          if (rec_left_q == 16'd1) eos_due_q <= 1'b1;
        end
      end

      // The abort ends the step in progress once everything buffered has been delivered: a
      // record cut short loses its missing axons; at a boundary an empty step ends the run.
      if ((aborting_q || abort_i) && !abort_final_q && !abort_done_q && !head_valid &&
          (skip_left_q == 15'd0) && !eos_due_q && !(ev_pop_i && ev_valid_o)) begin
        rec_left_q    <= 16'd0;
        abort_final_q <= 1'b1;
      end
    end
  end

endmodule

`default_nettype wire

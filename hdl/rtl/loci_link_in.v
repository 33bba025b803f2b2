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
  parameter integer AxonW = 10,
  // Bits of the buffered count (derived; do not override).
  parameter integer BW = $clog2(Depth) + 2
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  // Start of a run or RESET: empty the buffer, forget the record in progress, zero `consumed`.
  input  wire             clear_i,
  // End of a run: drop what is left (after an ABORT) but keep `consumed` for the last report.
  input  wire             discard_i,
  // ABORT: complete the step in progress with what has been received (its buffered axons,
  // then an end-of-step marker, made up when the buffer runs dry), then deliver nothing more.
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
  output reg  [BW-1:0]    buffered_o,
  // Words taken out of the buffer since the last clear, and a pulse for each.
  output reg  [31:0]      consumed_o,
  output wire             pop_o,
  // The abort's end-of-step marker has been taken.
  output wire             abort_done_o,
  // Nothing buffered and no event pending: the core waits for input.
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
    .clear_i (clear_i || discard_i),
    .wdata_i (wdata_i),
    .wvalid_i(wvalid_i),
    .wready_o(fifo_wready_unused),
    .rdata_o (head),
    .rvalid_o(head_valid),
    .rready_i(head_pop),
    .level_o (fifo_level_unused)
  );

  // Axon words still to deliver in the current record (the engine checked n <= numAxons).
  reg [AxonW:0] rec_left_q;
  // Steps without events still to deliver (from a skip word).
  reg [14:0] skip_left_q;
  // An end-of-step marker is due (after a record's last axon, or for an empty record).
  reg eos_due_q;
  // Abort in progress; the made-up marker is offered; the abort's marker has been taken.
  reg aborting_q, abort_eos_q, stopped_q;

  wire at_boundary = (rec_left_q == '0) && (skip_left_q == 15'd0) && !eos_due_q;
  // A header word is taken out of the buffer as soon as it reaches the head.
  wire take_header = at_boundary && head_valid && !stopped_q && !abort_eos_q;
  wire axon_due    = (skip_left_q == 15'd0) && !eos_due_q && (rec_left_q != '0);
  // A marker is offered for a skip, a finished record, or the abort's made-up one.
  wire eos_offer   = !stopped_q && (abort_eos_q || (skip_left_q != 15'd0) || eos_due_q);
  wire axon_offer  = !stopped_q && !abort_eos_q && axon_due && head_valid;
  wire taken       = ev_pop_i && ev_valid_o;

  assign ev_valid_o   = eos_offer || axon_offer;
  assign ev_eos_o     = eos_offer;
  assign ev_axon_o    = head[AxonW-1:0];
  assign head_pop     = take_header || (axon_offer && ev_pop_i);
  assign abort_done_o = stopped_q;
  assign empty_o      = at_boundary && !head_valid && !abort_eos_q;
  assign pop_o        = head_pop;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rec_left_q  <= '0;
      skip_left_q <= 15'd0;
      eos_due_q   <= 1'b0;
      aborting_q  <= 1'b0;
      abort_eos_q <= 1'b0;
      stopped_q   <= 1'b0;
      buffered_o  <= '0;
      consumed_o  <= 32'd0;
    end else if (clear_i || discard_i) begin
      rec_left_q  <= '0;
      skip_left_q <= 15'd0;
      eos_due_q   <= 1'b0;
      aborting_q  <= 1'b0;
      abort_eos_q <= 1'b0;
      stopped_q   <= 1'b0;
      buffered_o  <= '0;
      if (clear_i) consumed_o <= 32'd0;
    end else begin
      buffered_o <= buffered_o + BW'(wvalid_i) - BW'(head_pop);
      if (head_pop) consumed_o <= consumed_o + 1'b1;
      if (abort_i) aborting_q <= 1'b1;

      if (take_header) begin
        if (head[15]) skip_left_q <= head[14:0];
        else if (head[14:0] == 15'd0) eos_due_q <= 1'b1;
        else rec_left_q <= head[AxonW:0];
      end else if (taken) begin
        if (abort_eos_q) begin
          abort_eos_q <= 1'b0;
        end else if (skip_left_q != 15'd0) begin
          skip_left_q <= skip_left_q - 1'b1;
        end else if (eos_due_q) begin
          eos_due_q <= 1'b0;
        end else begin
          rec_left_q <= rec_left_q - 1'b1;
          if (rec_left_q == 1) eos_due_q <= 1'b1;
        end
        // While aborting, the first marker taken ends the step in progress: stop there.
        if (aborting_q && ev_eos_o) stopped_q <= 1'b1;
      end else if (aborting_q && !stopped_q && !abort_eos_q && !head_valid &&
                   (skip_left_q == 15'd0) && !eos_due_q) begin
        // The buffer ran dry inside the record (or before the step's record): end the step.
        rec_left_q  <= '0;
        abort_eos_q <= 1'b1;
      end
    end
  end

endmodule

`default_nettype wire

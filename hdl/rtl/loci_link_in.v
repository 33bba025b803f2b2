// SPDX-License-Identifier: Apache-2.0
// The input side of a run (docs/protocol.md §7.1, §7.3): buffers the host's input words (the
// engine has validated them and checked the credit) and turns them into the core's event
// stream: an axon word `a` is an input event of axon a, a step-end word `0x8000 | k` is k
// end-of-step markers.

`default_nettype none

module loci_link_in #(
  // Buffer words: a power of two (one EBR holds 256 x 16).
  parameter integer Depth = 256,
  // Axon index bits.
  parameter integer AxonW = 10,
  // Bits of the buffered count (derived; do not override).
  parameter integer BW = $clog2(Depth) + 1
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  // Start of a run or RESET: empty the buffer.
  input  wire             clear_i,
  // End of a run: drop what is left (after an ABORT).
  input  wire             discard_i,
  // ABORT: complete the step in progress with what has been received (its buffered axons,
  // then an end-of-step marker, made up when the buffer runs dry), then deliver nothing more.
  input  wire             abort_i,
  // Input words from validated INPUT frames; the engine never writes past the credit.
  input  wire [15:0]      wdata_i,
  input  wire             wvalid_i,
  // Events to the core: an axon (eos 0) or the end of a step (eos 1).
  output wire             ev_valid_o,
  output wire             ev_eos_o,
  output wire [AxonW-1:0] ev_axon_o,
  input  wire             ev_pop_i,
  // Words held (written and not yet taken out of the buffer), 0 .. Depth + 1.
  output wire [BW-1:0]    buffered_o,
  // Nothing buffered: the core waits for input (when it is in a step).
  output wire             empty_o
);

  wire [15:0] head;
  wire head_valid;
  wire head_pop;
  wire fifo_wready_unused;
  wire [BW-1:0] fifo_level;

  // The FIFO holds Depth words in its array and one in its output register.
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
    .level_o (fifo_level)
  );
  assign buffered_o = fifo_level + BW'(head_valid);
  assign empty_o = !head_valid;

  // Markers already delivered for the step-end word at the head.
  reg [14:0] marks_q;
  // Abort in progress; the abort's marker has been taken (nothing more is delivered).
  reg aborting_q, stopped_q;

  wire taken = ev_valid_o && ev_pop_i;
  wire last_mark = (marks_q + 1'b1 == head[14:0]);

  assign ev_valid_o = !stopped_q && (head_valid || aborting_q);
  // With the buffer dry during an abort, the made-up marker ends the step in progress.
  assign ev_eos_o   = !head_valid || head[15];
  assign ev_axon_o  = head[AxonW-1:0];
  assign head_pop   = taken && head_valid && (!head[15] || last_mark);

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      marks_q    <= 15'd0;
      aborting_q <= 1'b0;
      stopped_q  <= 1'b0;
    end else if (clear_i || discard_i) begin
      marks_q    <= 15'd0;
      aborting_q <= 1'b0;
      stopped_q  <= 1'b0;
    end else begin
      if (abort_i) aborting_q <= 1'b1;
      if (taken && head_valid && head[15]) marks_q <= last_mark ? 15'd0 : marks_q + 1'b1;
      // While aborting, the first marker taken ends the step in progress: stop there.
      if (taken && aborting_q && ev_eos_o) stopped_q <= 1'b1;
    end
  end

endmodule

`default_nettype wire

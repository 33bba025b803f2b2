// SPDX-License-Identifier: Apache-2.0
// Small first-word-fall-through FIFO in flip-flops for the core's event queues (input events
// from the host, spike events to the host). Small on purpose: the EBRs hold the delay ring,
// and a short queue only costs stall cycles, which the core does not count.

`default_nettype none

module loci_event_fifo #(
  parameter integer Width = 16,
  // Entries: a power of two, at least 2.
  parameter integer Depth = 16,
  // Level bits (derived; do not override).
  parameter integer LevelW = $clog2(Depth) + 1
) (
  input  wire              clk_i,
  input  wire              rst_ni,
  // Synchronous flush: empties the FIFO (a push in the same cycle is dropped).
  input  wire              flush_i,
  input  wire [Width-1:0]  wdata_i,
  input  wire              wvalid_i,
  output wire              wready_o,
  // Head of the FIFO, valid while rvalid_o; taken when rvalid_o && rready_i.
  output wire [Width-1:0]  rdata_o,
  output wire              rvalid_o,
  input  wire              rready_i,
  // Entries held, 0..Depth.
  output wire [LevelW-1:0] level_o
);

  localparam integer AW = LevelW - 1;

  initial begin
    if (Depth < 2 || (1 << AW) != Depth) begin
      $error("loci_event_fifo: Depth = %0d, need a power of two >= 2", Depth);
      $finish;
    end
  end

  reg [Width-1:0] mem_q [0:Depth-1];
  // Next entry to write / to read; the extra top bit tells full from empty.
  reg [AW:0] wptr_q, rptr_q;

  wire empty = (wptr_q == rptr_q);
  wire full  = (wptr_q[AW] != rptr_q[AW]) && (wptr_q[AW-1:0] == rptr_q[AW-1:0]);
  wire push  = wvalid_i && !full && !flush_i;
  wire pop   = rready_i && !empty && !flush_i;

  assign wready_o = !full;
  assign rvalid_o = !empty;
  assign rdata_o  = mem_q[rptr_q[AW-1:0]];
  assign level_o  = wptr_q - rptr_q;

  always @(posedge clk_i) begin
    if (push) mem_q[wptr_q[AW-1:0]] <= wdata_i;
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q <= {(AW + 1){1'b0}};
      rptr_q <= {(AW + 1){1'b0}};
    end else if (flush_i) begin
      wptr_q <= {(AW + 1){1'b0}};
      rptr_q <= {(AW + 1){1'b0}};
    end else begin
      if (push) wptr_q <= wptr_q + 1'b1;
      if (pop) rptr_q <= rptr_q + 1'b1;
    end
  end

endmodule

`default_nettype wire

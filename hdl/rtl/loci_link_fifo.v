// SPDX-License-Identifier: Apache-2.0
// Synchronous first-word-fall-through FIFO for the link's byte streams (UART receive and
// transmit buffers). The storage array is read in a clocked block so yosys maps a deep FIFO
// to EBR; an output register in front of it makes the read side first-word-fall-through.

`default_nettype none

module loci_link_fifo #(
  parameter integer Width = 8,
  // Entries of the storage array: a power of two, at least 2. One more entry fits in the
  // output register, so the FIFO holds Depth + 1 words.
  parameter integer Depth = 512
) (
  input  wire                   clk_i,
  input  wire                   rst_ni,
  // Empty the FIFO (synchronous; a write in the same clock is dropped).
  input  wire                   clear_i,
  input  wire [Width-1:0]       wdata_i,
  input  wire                   wvalid_i,
  // Writes while full are refused (wready_o low); the writer must hold or count them.
  output wire                   wready_o,
  output wire [Width-1:0]       rdata_o,
  output wire                   rvalid_o,
  input  wire                   rready_i,
  // Words held in the storage array (the output register is not counted), 0..Depth.
  output wire [$clog2(Depth):0] level_o
);

  localparam integer AW = $clog2(Depth);

  initial begin
    if (Depth < 2 || (1 << AW) != Depth) begin
      $error("loci_link_fifo: Depth = %0d, need a power of two >= 2", Depth);
      $finish;
    end
  end

  (* no_rw_check *) reg [Width-1:0] mem [0:Depth-1];
  // Next array entry to write / to read; one extra bit tells full from empty.
  reg [AW:0] wptr_q, rptr_q;
  // The output register: the word at the head of the FIFO, and whether it holds one.
  reg [Width-1:0] out_q;
  reg out_valid_q;

  wire mem_empty = (wptr_q == rptr_q);
  wire mem_full  = (wptr_q[AW] != rptr_q[AW]) && (wptr_q[AW-1:0] == rptr_q[AW-1:0]);
  wire do_write  = wvalid_i && !mem_full && !clear_i;
  // Refill the output register when it is empty or being taken this cycle.
  wire do_read   = !mem_empty && (!out_valid_q || rready_i) && !clear_i;

  assign wready_o = !mem_full;
  assign rdata_o  = out_q;
  assign rvalid_o = out_valid_q;
  assign level_o  = wptr_q - rptr_q;

  // Storage: no reset, write port and registered read port (EBR-shaped). A read never hits
  // the entry written in the same cycle: it reads only when the array is not empty.
  always @(posedge clk_i) begin
    if (do_write) mem[wptr_q[AW-1:0]] <= wdata_i;
    if (do_read) out_q <= mem[rptr_q[AW-1:0]];
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q      <= '0;
      rptr_q      <= '0;
      out_valid_q <= 1'b0;
    end else if (clear_i) begin
      wptr_q      <= '0;
      rptr_q      <= '0;
      out_valid_q <= 1'b0;
    end else begin
      if (do_write) wptr_q <= wptr_q + 1'b1;
      if (do_read) rptr_q <= rptr_q + 1'b1;
      if (do_read) out_valid_q <= 1'b1;
      else if (rready_i) out_valid_q <= 1'b0;
    end
  end

endmodule

`default_nettype wire

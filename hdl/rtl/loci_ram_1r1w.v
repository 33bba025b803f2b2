// SPDX-License-Identifier: Apache-2.0
// Simple dual-port RAM (one read port, one write port, one clock) with a registered read that
// holds its output while re_i is low. Inferred: yosys maps it to iCE40 EBR (SB_RAM40_4K) or
// to block RAM on other targets. A read of the address written in the same clock is undefined
// (EBR behaviour; `no_rw_check` spares yosys the bypass logic): the core never does it except
// in the delay ring, which forwards. Under Verilator such a read returns a scrambled word, so
// co-simulation catches any reader that would depend on it.

`default_nettype none

module loci_ram_1r1w #(
  // Bits per word.
  parameter integer Width = 16,
  // Words; any value >= 2.
  parameter integer Depth = 256,
  // Address bits (derived; do not override).
  parameter integer AddrW = $clog2(Depth)
) (
  input  wire             clk_i,
  // Read port: rdata_o shows mem[raddr_i] from the cycle after re_i, and holds while re_i is low.
  input  wire             re_i,
  input  wire [AddrW-1:0] raddr_i,
  output wire [Width-1:0] rdata_o,
  // Write port.
  input  wire             we_i,
  input  wire [AddrW-1:0] waddr_i,
  input  wire [Width-1:0] wdata_i
);

  initial begin
    if (Depth < 2 || AddrW != $clog2(Depth)) begin
      $error("loci_ram_1r1w: Depth = %0d needs AddrW = %0d (got %0d)", Depth, $clog2(Depth), AddrW);
      $finish;
    end
  end

  (* no_rw_check *) reg [Width-1:0] mem [0:Depth-1];
  // The read register: the word last read.
  reg [Width-1:0] rdata_q;

  always @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
    if (re_i) begin
`ifdef VERILATOR
      if (we_i && waddr_i == raddr_i) rdata_q <= ~wdata_i;
      else rdata_q <= mem[raddr_i];
`else
      rdata_q <= mem[raddr_i];
`endif
    end
  end

  assign rdata_o = rdata_q;

endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Single-port RAM with byte write enables and a registered read that holds its output while
// neither re_i nor any we_i bit is set. MemTarget "ice40" instantiates one SB_SPRAM256KA
// (16 K x 16) of the iCE40UP5K, whose nibble mask gives the byte enables;
// "generic" infers a RAM (simulation, other FPGAs). After a write the output is undefined on
// the SPRAM; the generic model scrambles it under Verilator so cosimulation catches a reader
// that depends on it.

`default_nettype none

module loci_ram_sp #(
  // Bits per word: a multiple of 8 (at most 16 for "ice40").
  parameter integer Width = 16,
  // Words (at most 16384 for "ice40").
  parameter integer Depth = 16384,
  // "generic" (inferred RAM) or "ice40" (SB_SPRAM256KA), as an 8-character string.
  parameter [63:0] MemTarget = "generic",
  // Address bits (derived; do not override).
  parameter integer AddrW = $clog2(Depth)
) (
  input  wire             clk_i,
  // One operation per cycle: a write of the bytes set in we_i, else a read when re_i, else nothing.
  input  wire             re_i,
  input  wire [Width/8-1:0] we_i,
  input  wire [AddrW-1:0] addr_i,
  input  wire [Width-1:0] wdata_i,
  output wire [Width-1:0] rdata_o
);

  localparam [63:0] TargetGeneric = "generic";
  localparam [63:0] TargetIce40   = "ice40";

  initial begin
    if (Depth < 2 || AddrW != $clog2(Depth)) begin
      $error("loci_ram_sp: Depth = %0d needs AddrW = %0d (got %0d)", Depth, $clog2(Depth), AddrW);
      $finish;
    end
    if (Width < 8 || Width % 8 != 0) begin
      $error("loci_ram_sp: Width = %0d, need a multiple of 8", Width);
      $finish;
    end
    if (MemTarget != TargetGeneric && MemTarget != TargetIce40) begin
      $error("loci_ram_sp: MemTarget must be \"generic\" or \"ice40\"");
      $finish;
    end
    if (MemTarget == TargetIce40 && (Width > 16 || Depth > 16384)) begin
      $error("loci_ram_sp: an SB_SPRAM256KA holds 16384 x 16 bits, asked for %0d x %0d", Depth, Width);
      $finish;
    end
  end

  generate
    if (MemTarget == TargetIce40) begin : g_spram
      wire [15:0] din  = {{(16 - Width){1'b0}}, wdata_i};
      wire [13:0] addr = {{(14 - AddrW){1'b0}}, addr_i};
      wire [1:0]  be   = {{(2 - Width / 8){1'b0}}, we_i};
      wire [15:0] dout;
      SB_SPRAM256KA u_spram (
        .ADDRESS   (addr),
        .DATAIN    (din),
        .MASKWREN  ({be[1], be[1], be[0], be[0]}),
        .WREN      (|we_i),
        .CHIPSELECT(re_i | (|we_i)),
        .CLOCK     (clk_i),
        .STANDBY   (1'b0),
        .SLEEP     (1'b0),
        .POWEROFF  (1'b1),
        .DATAOUT   (dout)
      );
      assign rdata_o = dout[Width-1:0];
    end else begin : g_generic
      reg [Width-1:0] mem [0:Depth-1];
      // The read register: the word last read.
      reg [Width-1:0] rdata_q;
      integer b;
      always @(posedge clk_i) begin
        for (b = 0; b < Width / 8; b = b + 1) begin
          if (we_i[b]) mem[addr_i][8*b +: 8] <= wdata_i[8*b +: 8];
        end
        if (|we_i) begin
`ifdef VERILATOR
          rdata_q <= ~wdata_i ^ {Width{addr_i[0]}};
`endif
        end else if (re_i) begin
          rdata_q <= mem[addr_i];
        end
      end
      assign rdata_o = rdata_q;
    end
  endgenerate

endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Phase B of docs/core-spec.md section 5 (learning only): every axon a = 0 .. numAxons-1
// decays its trace, axonTrace[a] = decay(axonTrace[a], tauTraceShift). Axon traces live two to
// a word in the single-port pointer memory. Four clocks handle two words (four axons): read
// word 0, read word 1, write word 0, write word 1; each word's decayed traces are registered
// between its read and its write (why: the decay between the memory's output and its input
// in one clock would be the longest path of the core). The phase lasts
// numAxons + AXON_TRACE_PHASE clocks (the last write lands by then for every numAxons). The
// registers are the decay units' own (DSP output registers): a word read in clock s arrives in
// s + 1 and its decay is written in s + 2. A
// word's second byte is written only when that axon is in use, so axons at or above numAxons
// keep their traces.

`default_nettype none

`include "loci_spec.vh"

module loci_axon_trace_engine #(
  parameter integer Axons    = `LOCI_AXONS,
  // Pointer memory word address of the first trace word, set by loci_core (a multiple of
  // Axons / 2 rounded up to a power of two: base + offset is base | offset).
  parameter integer PtrTrace = 0,
  parameter integer PtrAddrW = 14,
  // Axon index bits (derived; do not override).
  parameter integer AxonW    = $clog2(Axons)
) (
  input  wire                         clk_i,
  input  wire                         rst_ni,
  input  wire                         ce_i,
  // High for the whole phase.
  input  wire                         active_i,
  input  wire [AxonW:0]               num_axons_i,
  input  wire [`LOCI_TAU_SHIFT_W-1:0] tau_trace_shift_i,
  // The decay of ptr_rdata_i[7:0], registered (a trace decay unit shared with phase A, in
  // loci_core); this engine decays the upper byte itself.
  input  wire [`LOCI_TRACE_W-1:0]     decayed_lo_i,
  // Pointer memory port (trace words).
  output wire                         ptr_re_o,
  output wire [1:0]                   ptr_we_o,
  output wire [PtrAddrW-1:0]          ptr_addr_o,
  output wire [15:0]                  ptr_wdata_o,
  input  wire [15:0]                  ptr_rdata_i,
  // High in the last clock of the phase.
  output wire                         last_o
);

  localparam integer Drain = `LOCI_CYC_AXON_TRACE_PHASE;
  localparam integer CntW  = AxonW + 2;
  localparam integer TW    = `LOCI_TRACE_W;
  localparam [PtrAddrW-1:0] TraceBase = PtrTrace[PtrAddrW-1:0];

  initial begin
    if (Drain != 2) begin
      $error("loci_axon_trace_engine: the last write lands 2 clocks after numAxons; AXON_TRACE_PHASE is %0d", Drain);
      $finish;
    end
  end

  // Clocks since the phase began: cnt = 4g + s handles words 2g and 2g + 1 (axons 4g .. 4g+3):
  // s = 0, 1 read word 2g + s; s = 2, 3 write word 2g + s - 2.
  reg  [CntW-1:0] cnt_q;
  wire [CntW-1:0] n_ext  = {1'b0, num_axons_i};
  wire [1:0]      sub    = cnt_q[1:0];
  // The word this clock touches, and its two axons.
  wire [CntW-2:0] word   = {cnt_q[CntW-1:2], sub[0]};
  wire [CntW-1:0] lo_axon = {word, 1'b0};
  wire [CntW-1:0] hi_axon = {word, 1'b1};
  wire            exists = active_i && (lo_axon < n_ext);
  wire            read   = exists && !sub[1];
  wire            write  = exists && sub[1];

  assign last_o = active_i && (cnt_q == n_ext + Drain[CntW-1:0] - 1'b1);

  // A word's decayed traces, captured the clock after its read.
  // (The memory output decayed every clock: in s = 2 and 3 the registers hold the words read
  // in s = 0 and 1.)
  wire [TW-1:0] decayed_hi;
  loci_trace_decay u_decay_hi (
    .clk_i(clk_i), .ce_i(ce_i), .x_i(ptr_rdata_i[15:8]), .shift_i(tau_trace_shift_i), .decayed_o(decayed_hi)
  );

  assign ptr_re_o    = ce_i && read;
  assign ptr_we_o    = (ce_i && write) ? {hi_axon < n_ext, 1'b1} : 2'b00;
  assign ptr_addr_o  = TraceBase | {{(PtrAddrW - CntW + 1){1'b0}}, word};
  assign ptr_wdata_o = {decayed_hi, decayed_lo_i};
  // The lower byte is decayed in loci_core.
  wire unused_lo = ^ptr_rdata_i[7:0];

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) cnt_q <= {CntW{1'b0}};
    else if (!active_i) cnt_q <= {CntW{1'b0}};
    else if (ce_i) cnt_q <= cnt_q + 1'b1;
  end

endmodule

`default_nettype wire

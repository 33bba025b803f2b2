// SPDX-License-Identifier: Apache-2.0
// Phase B of docs/core-spec.md section 5 (learning only): every axon a = 0 .. numAxons-1
// decays its trace, axonTrace[a] = decay(axonTrace[a], tauTraceShift). Axon traces live two to
// a word in the single-port pointer memory, so a word is read on one clock and written back on
// the next: two axons per two clocks. The phase lasts numAxons + AXON_TRACE_PHASE clocks (the
// last write lands by clock numAxons). A word's second byte is written only when that axon is
// in use, so axons at or above numAxons keep their traces.

`default_nettype none

`include "loci_spec.vh"

module loci_axon_trace_engine #(
  parameter integer Axons    = `LOCI_AXONS,
  // Pointer memory word address of the first trace word, set by loci_core.
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
    if (Drain != 1) begin
      $error("loci_axon_trace_engine: the last write lands 1 clock after numAxons; AXON_TRACE_PHASE is %0d", Drain);
      $finish;
    end
  end

  // Clocks since the phase began: even clocks read the word of axons {cnt, cnt + 1}, odd
  // clocks write it back.
  reg  [CntW-1:0] cnt_q;
  wire [CntW-1:0] n_ext  = {1'b0, num_axons_i};
  wire            even   = !cnt_q[0];
  wire            read   = active_i && even && (cnt_q < n_ext);
  wire            write  = active_i && !even && (cnt_q <= n_ext);
  // The word's axons: 2w (low byte) and 2w + 1 (high byte), w = cnt / 2.
  wire [CntW-1:0] hi_axon = {cnt_q[CntW-1:1], 1'b1};

  assign last_o = active_i && (cnt_q == n_ext + Drain[CntW-1:0] - 1'b1);

  wire signed [TW:0] dec_lo, dec_hi;
  loci_decay #(.Width(TW + 1)) u_decay_lo (
    .x_i     ({1'b0, ptr_rdata_i[7:0]}),
    .shift_i (tau_trace_shift_i),
    .amount_o(dec_lo)
  );
  loci_decay #(.Width(TW + 1)) u_decay_hi (
    .x_i     ({1'b0, ptr_rdata_i[15:8]}),
    .shift_i (tau_trace_shift_i),
    .amount_o(dec_hi)
  );
  wire unused_dec_signs = ^{dec_lo[TW], dec_hi[TW]};

  assign ptr_re_o    = ce_i && read;
  assign ptr_we_o    = (ce_i && write) ? {hi_axon < n_ext, 1'b1} : 2'b00;
  assign ptr_addr_o  = TraceBase + {{(PtrAddrW - CntW + 1){1'b0}}, cnt_q[CntW-1:1]};
  assign ptr_wdata_o = {ptr_rdata_i[15:8] - dec_hi[TW-1:0], ptr_rdata_i[7:0] - dec_lo[TW-1:0]};

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) cnt_q <= {CntW{1'b0}};
    else if (!active_i) cnt_q <= {CntW{1'b0}};
    else if (ce_i) cnt_q <= cnt_q + 1'b1;
  end

endmodule

`default_nettype wire

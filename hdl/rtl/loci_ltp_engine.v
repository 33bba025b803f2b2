// SPDX-License-Identifier: Apache-2.0
// Phase D of docs/core-spec.md section 5 (learning only): potentiation. For each neuron j of
// this step's spike list, a fetch sequencer reads its plastic fan-in pointer (a gap clock, then
// the spike-list word and the two pointer words: 4 clocks); then its fan-in entries issue every
// second clock into a five-stage pipeline:
//   D0 read the fan-in list entry (a synapse address k)
//   D1 read synapse k: R half (source low bits) and W half (weight, source high bits)
//   D2 read the pre trace: the axon trace word (pointer memory) when source < A, else the
//      state word of neuron source - A
//   D3 delta = learningDelta(aPlus, pre, learnShift) (the STDP unit and the write-back stage
//      are shared with phase C and live in loci_core)
//   D4 loci_core writes clip(weight + delta) back
// W is read on odd and written on even clocks of a list, so the single-port W half never sees
// two operations in one clock; the last writes of a list fall in the next neuron's fetch. The
// pointer memory serves D2 on even clocks; the last D2 of a list falls in the next fetch's gap.
// Cycles: LTP_PHASE + sum over spiking neurons (LTP_NEURON + LTP_PER_SYNAPSE * fan-in).

`default_nettype none

`include "loci_spec.vh"

module loci_ltp_engine #(
  parameter integer Neurons  = `LOCI_NEURONS,
  parameter integer Axons    = `LOCI_AXONS,
  parameter integer Synapses = `LOCI_SYNAPSES,
  // Pointer memory layout (word addresses), set by loci_core: each region starts at a multiple
  // of its size rounded up to a power of two, so base + offset is base | offset.
  parameter integer PtrRev   = 0,
  parameter integer PtrSpike = 0,
  parameter integer PtrTrace = 0,
  parameter integer PtrAddrW = 14,
  // Derived widths (do not override).
  parameter integer NeuronW  = $clog2(Neurons),
  parameter integer AxonW    = $clog2(Axons),
  parameter integer SynAddrW = $clog2(Synapses)
) (
  input  wire                               clk_i,
  input  wire                               rst_ni,
  input  wire                               ce_i,
  // High for the whole phase.
  input  wire                               active_i,
  input  wire [NeuronW:0]                   spike_count_i,
  // The STDP unit and write-back stage (shared with phase C, in loci_core): in D3 loci_core
  // takes learningDelta(aPlus, pre_trace_o, learnShift), wb_weight_o and wb_addr_o; in D4
  // (syn_w_we_o) it writes their clip(weight + delta) to the W half.
  output wire [`LOCI_TRACE_W-1:0]           pre_trace_o,
  output wire [`LOCI_WEIGHT_W-1:0]          wb_weight_o,
  output wire [SynAddrW-1:0]                wb_addr_o,
  // Pointer memory (plastic fan-in pointers and the spike list).
  output wire                               ptr_re_o,
  output wire [PtrAddrW-1:0]                ptr_addr_o,
  input  wire [15:0]                        ptr_rdata_i,
  // Plastic fan-in list (D0 -> D1).
  output wire                               rev_re_o,
  output wire [SynAddrW-1:0]                rev_addr_o,
  input  wire [SynAddrW-1:0]                rev_rdata_i,
  // Synapse R and W halves: read in D1 (syn_addr_o), weight write-back in D4.
  output wire                               syn_re_o,
  output wire                               syn_w_we_o,
  output wire [SynAddrW-1:0]                syn_addr_o,
  input  wire [`LOCI_SOURCE_ID_W-1:0]       syn_source_i,
  input  wire [`LOCI_WEIGHT_W-1:0]          syn_weight_i,
  // Pre traces (D2 -> D3): axon traces come through the pointer memory port.
  output wire                               st_re_o,
  output wire [NeuronW-1:0]                 st_raddr_o,
  input  wire [`LOCI_TRACE_W-1:0]           st_trace_i,
  // High in the last clock of the phase.
  output wire                               last_o
);

  localparam integer Drain  = `LOCI_CYC_LTP_PHASE;
  localparam integer CntW   = `LOCI_SYNAPSE_COUNT_W;
  localparam integer SrcW   = `LOCI_SOURCE_ID_W;

  initial begin
    if (Drain != 3 || `LOCI_CYC_LTP_NEURON != 4 || `LOCI_CYC_LTP_PER_SYNAPSE != 2) begin
      $error("loci_ltp_engine: costs are drain 3, neuron 4, synapse 2 clocks; the spec says %0d, %0d, %0d",
             Drain, `LOCI_CYC_LTP_NEURON, `LOCI_CYC_LTP_PER_SYNAPSE);
      $finish;
    end
  end

  // ---------------------------------------------------------------- fetch sequencer
  localparam [2:0] StGap = 3'd0, StSpike = 3'd1, StCount = 3'd2, StBase = 3'd3, StStream = 3'd4,
                   StDrain = 3'd5;

  reg  [2:0]          state_q;
  // Spike-list position of the neuron being fetched.
  reg  [NeuronW:0]    spike_pos_q;
  // Neuron being fetched (why: the spike-list word leaves the pointer memory output).
  reg  [NeuronW-1:0]  neuron_q;
  // Entries left in this fan-in list, the next list position, and the issue phase
  // (why: an entry issues every second clock).
  reg  [CntW-1:0]     left_q;
  reg  [SynAddrW-1:0] pos_q;
  reg                 first_q;
  reg                 odd_q;
  reg  [1:0]          drain_q;

  wire [CntW-1:0]     ptr_count  = ptr_rdata_i[CntW-1:0];
  wire [SynAddrW-1:0] ptr_base   = ptr_rdata_i[SynAddrW-1:0];
  wire [NeuronW:0]    spike_next = spike_pos_q + 1'b1;
  // (spike_pos_q never passes spike_count_i: equality, no comparator.)
  wire                more       = spike_next != spike_count_i;
  wire                issue      = active_i && state_q == StStream && !odd_q;
  wire [SynAddrW-1:0] issue_pos  = first_q ? ptr_base : pos_q;

  localparam [PtrAddrW-1:0] RevBase   = PtrRev[PtrAddrW-1:0];
  localparam [PtrAddrW-1:0] SpikeBase = PtrSpike[PtrAddrW-1:0];
  localparam [PtrAddrW-1:0] TraceBase = PtrTrace[PtrAddrW-1:0];
  reg                       d2_q;
  wire [PtrAddrW-1:0]       d2_trace_addr;
  reg                 ptr_re;
  reg  [PtrAddrW-1:0] ptr_addr;
  always @(*) begin
    ptr_re   = 1'b0;
    ptr_addr = {PtrAddrW{1'b0}};
    if (active_i) begin
      case (state_q)
        StSpike: begin
          ptr_re   = 1'b1;
          ptr_addr = SpikeBase | {{(PtrAddrW - NeuronW - 1){1'b0}}, spike_pos_q};
        end
        StCount: begin
          ptr_re   = 1'b1;
          ptr_addr = RevBase | {{(PtrAddrW - NeuronW - 1){1'b0}}, ptr_rdata_i[NeuronW-1:0], 1'b1};
        end
        StBase: begin
          ptr_re   = 1'b1;
          ptr_addr = RevBase | {{(PtrAddrW - NeuronW - 1){1'b0}}, neuron_q, 1'b0};
        end
        default: ;
      endcase
      // D2 (even clocks of a stream, or the gap after it) reads the axon trace word.
      if (d2_q) begin
        ptr_re   = 1'b1;
        ptr_addr = d2_trace_addr;
      end
    end
  end
  assign ptr_re_o   = ce_i && ptr_re;
  assign ptr_addr_o = ptr_addr;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= StGap;
      spike_pos_q <= {(NeuronW + 1){1'b0}};
      left_q      <= {CntW{1'b0}};
      first_q     <= 1'b0;
      odd_q       <= 1'b0;
      drain_q     <= 2'd0;
    end else if (!active_i) begin
      state_q     <= StGap;
      spike_pos_q <= {(NeuronW + 1){1'b0}};
      odd_q       <= 1'b0;
      drain_q     <= 2'd0;
    end else if (ce_i) begin
      case (state_q)
        // Only the first clock of a phase without spikes gets here with none left: it is the
        // first drain clock (the last list of a phase goes straight to StDrain).
        StGap: begin
          if (spike_pos_q != spike_count_i) state_q <= StSpike;
          else begin
            state_q <= StDrain;
            drain_q <= 2'd1;
          end
        end
        StSpike: state_q <= StCount;
        StCount: state_q <= StBase;
        StBase: begin
          left_q      <= ptr_count;
          first_q     <= 1'b1;
          odd_q       <= 1'b0;
          spike_pos_q <= spike_next;
          if (ptr_count != {CntW{1'b0}}) state_q <= StStream;
          else state_q <= more ? StGap : StDrain;
        end
        StStream: begin
          odd_q <= !odd_q;
          if (!odd_q) begin
            first_q <= 1'b0;
            left_q  <= left_q - 1'b1;
          end else if (left_q == {CntW{1'b0}}) begin
            state_q <= (spike_pos_q != spike_count_i) ? StGap : StDrain;
          end
        end
        StDrain: drain_q <= drain_q + 1'b1;
        default: state_q <= StSpike;
      endcase
    end
  end

  always @(posedge clk_i) begin
    if (ce_i && active_i) begin
      if (state_q == StCount) neuron_q <= ptr_rdata_i[NeuronW-1:0];
      if (issue) pos_q <= issue_pos + 1'b1;
    end
  end

  assign last_o = active_i && state_q == StDrain && drain_q == Drain[1:0] - 2'd1;

  // ---------------------------------------------------------------- D0: fan-in list read
  assign rev_re_o   = ce_i && issue;
  assign rev_addr_o = issue_pos;

  // ---------------------------------------------------------------- pipeline
  reg                      d1_q, d3_q, d4_q;
  // The synapse address in D3 (why: the write-back in D4 needs it). The fan-in list output
  // holds an entry's address in D1 and D2 (the next entry is read in D2, two clocks after), so
  // it is taken straight from the list in D2.
  reg [SynAddrW-1:0]       d3_addr_q;
  reg [`LOCI_WEIGHT_W-1:0] d3_weight_q;
  reg                      d3_axon_q, d3_odd_q;

  // D1: synapse read at the listed address.
  wire                     d1_read = ce_i && d1_q;
  // D2: pre-trace reads by source id.
  localparam [SrcW-1:0]    AxonsS  = Axons[SrcW-1:0];
  wire                     is_axon2  = syn_source_i < AxonsS;
  wire [SrcW-1:0]          neuron2   = syn_source_i - AxonsS;
  assign d2_trace_addr = TraceBase | {{(PtrAddrW - AxonW + 1){1'b0}}, syn_source_i[AxonW-1:1]};
  assign st_re_o    = ce_i && d2_q;
  assign st_raddr_o = neuron2[NeuronW-1:0];
  // D3: the pre trace, for the delta.
  assign pre_trace_o = d3_axon_q ? (d3_odd_q ? ptr_rdata_i[15:8] : ptr_rdata_i[7:0]) : st_trace_i;
  // D3 -> D4: the write-back stage in loci_core.
  assign wb_weight_o = d3_weight_q;
  assign wb_addr_o   = d3_addr_q;
  // D1 reads and D4 writes never share a clock (odd/even issue).
  assign syn_re_o       = d1_read;
  assign syn_w_we_o     = ce_i && d4_q;
  assign syn_addr_o     = rev_rdata_i;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      d1_q <= 1'b0; d2_q <= 1'b0; d3_q <= 1'b0; d4_q <= 1'b0;
    end else if (ce_i) begin
      d1_q <= issue;
      d2_q <= d1_q;
      d3_q <= d2_q;
      d4_q <= d3_q;
    end
  end

  always @(posedge clk_i) begin
    if (ce_i) begin
      d3_addr_q   <= rev_rdata_i;
      d3_weight_q <= syn_weight_i;
      d3_axon_q   <= is_axon2;
      d3_odd_q    <= syn_source_i[0];
    end
  end

  wire unused_ok = ^{ptr_rdata_i[15], neuron2[SrcW-1:NeuronW]};

endmodule

`default_nettype wire

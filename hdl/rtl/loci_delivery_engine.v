// SPDX-License-Identifier: Apache-2.0
// Phase C of docs/core-spec.md section 5: delivery. Sources in order: the input events of
// this step (popped until the end-of-step marker), then the neurons of this step's spike list.
// For each source a small fetch sequencer reads the fan-out pointer (an input axon also bumps
// its trace, which lives in the same single-port memory: 4 clocks); then its synapses stream
// through a five-stage pipeline, one synapse per clock:
//   S0 read synapse R half (target, delay, plastic)
//   S1 read the target's trace, form the ring address {target, (t + delay + 1) mod 16}
//   S2 read synapse W half (weight) and the ring entry; register the trace
//   S3 ring += weight (forwarded when the previous event hit the same entry); depression
//      delta from the trace (the STDP unit and the write-back stage are shared with phase D
//      and live in loci_core)
//   S4 plastic synapse while learning: loci_core writes the depressed weight back
// The W half is single-port, so a plastic synapse (while learning) in S3 holds the front of
// the pipeline (fetch, S0, S1) for one clock and leaves S2 empty in the next, when its
// write-back takes the W port. Cycles:
//   DELIVERY_PHASE + sum(SOURCE_AXON + n) + sum(SOURCE_NEURON + n) + plastic synapses.

`default_nettype none

`include "loci_spec.vh"

module loci_delivery_engine #(
  parameter integer Neurons  = `LOCI_NEURONS,
  parameter integer Axons    = `LOCI_AXONS,
  parameter integer Synapses = `LOCI_SYNAPSES,
  // Pointer memory layout (word addresses), set by loci_core: each region starts at a multiple
  // of its size rounded up to a power of two, so base + offset is base | offset.
  parameter integer PtrFwd   = 0,
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
  input  wire [`LOCI_DELAY_W-1:0]           slot_i,
  input  wire [NeuronW:0]                   spike_count_i,
  // Learning settings used in this phase.
  input  wire                               learn_en_i,
  input  wire [`LOCI_LEARN_AMPLITUDE_W-1:0] trace_increment_i,
  // The STDP unit and write-back stage (shared with phase D, in loci_core): in S3 loci_core
  // takes learningDelta(aMinus, trace_o, learnShift), the weight read (syn_weight_i) and the
  // address wb_addr_o; in S4 (syn_w_we_o) it writes their clip(weight - delta) to the W half.
  output wire [`LOCI_TRACE_W-1:0]           trace_o,
  output wire [SynAddrW-1:0]                wb_addr_o,
  // Input event queue (first word falls through): an axon, or the end-of-step marker.
  input  wire                               in_valid_i,
  input  wire                               in_eos_i,
  input  wire [AxonW-1:0]                   in_axon_i,
  output wire                               in_pop_o,
  // Stall request: the input queue is empty while the next input event is needed.
  output wire                               stall_o,
  // Pointer memory (fan-out pointers, the spike list, axon traces two per word): one
  // operation per clock, byte write enables for the trace bump.
  output wire                               ptr_re_o,
  output wire [1:0]                         ptr_we_o,
  output wire [PtrAddrW-1:0]                ptr_addr_o,
  output wire [15:0]                        ptr_wdata_o,
  input  wire [15:0]                        ptr_rdata_i,
  // Synapse R half (S0 -> S1).
  output wire                               syn_r_re_o,
  output wire [SynAddrW-1:0]                syn_r_addr_o,
  input  wire [NeuronW-1:0]                 syn_target_i,
  input  wire [`LOCI_DELAY_W-1:0]           syn_delay_i,
  input  wire                               syn_plastic_i,
  // Neuron trace read (S1 -> S2).
  output wire                               st_re_o,
  output wire [NeuronW-1:0]                 st_raddr_o,
  input  wire [`LOCI_TRACE_W-1:0]           st_trace_i,
  // Synapse W half: read in S2 (syn_w_addr_o), weight write-back in S4 (at wb_addr_o of S3).
  output wire                               syn_w_re_o,
  output wire                               syn_w_we_o,
  output wire [SynAddrW-1:0]                syn_w_addr_o,
  input  wire [`LOCI_WEIGHT_W-1:0]          syn_weight_i,
  // Delay ring: read in S2, write in S3.
  output wire                               ring_re_o,
  output wire [NeuronW+`LOCI_DELAY_W-1:0]   ring_raddr_o,
  input  wire [`LOCI_RING_W-1:0]            ring_rdata_i,
  output wire                               ring_we_o,
  output wire [NeuronW+`LOCI_DELAY_W-1:0]   ring_waddr_o,
  output wire [`LOCI_RING_W-1:0]            ring_wdata_o,
  // Event pulses for the counters.
  output wire                               input_event_o,
  output wire                               synaptic_event_o,
  // High in the last clock of the phase.
  output wire                               last_o
);

  localparam integer Drain  = `LOCI_CYC_DELIVERY_PHASE - 1;
  localparam integer RingAW = NeuronW + `LOCI_DELAY_W;
  localparam integer CntW   = `LOCI_SYNAPSE_COUNT_W;
  localparam integer TW     = `LOCI_TRACE_W;

  initial begin
    if (`LOCI_CYC_DELIVERY_PHASE != 5 || `LOCI_CYC_SOURCE_AXON != 4 || `LOCI_CYC_SOURCE_NEURON != 3) begin
      $error("loci_delivery_engine: costs are marker 1 + drain 4, axon 4, neuron 3 clocks; the spec says %0d, %0d, %0d",
             `LOCI_CYC_DELIVERY_PHASE, `LOCI_CYC_SOURCE_AXON, `LOCI_CYC_SOURCE_NEURON);
      $finish;
    end
  end

  // ---------------------------------------------------------------- fetch sequencer
  localparam [2:0] StIn = 3'd0, StInBase = 3'd1, StInTrace = 3'd2, StInBump = 3'd3,
                   StSpike = 3'd4, StSpikeCount = 3'd5, StSpikeBase = 3'd6, StStream = 3'd7;

  reg  [2:0]          state_q;
  // Input axon or spiking neuron being fetched (why: the pointer words arrive after the queue
  // head and the spike-list word have moved on).
  reg  [AxonW-1:0]    axon_q;
  reg  [NeuronW-1:0]  neuron_q;
  // Spike-list position of the next spiking neuron.
  reg  [NeuronW:0]    spike_pos_q;
  // Synapses left to issue in this list, and the next address.
  reg  [CntW-1:0]     left_q;
  reg  [SynAddrW-1:0] addr_q;
  // First issue of a neuron's list: its base address is still on the pointer memory output.
  reg                 first_q;
  // Where the stream returns: 1 = the next input event, 0 = the next spiking neuron.
  reg                 from_input_q;
  // Drain: entered after the last source, counts its clocks.
  reg                 draining_q;
  reg  [1:0]          drain_q;

  // Pipeline stage registers (declared here: the hold is computed from S3).
  reg                 s1_q, s2_q, s3_q, s4_q;
  reg                 s2_plastic_q, s3_learn_q;
  wire                hold  = s3_q && s3_learn_q;
  // Front enable: the fetch sequencer, S0 and S1 move only when neither stalled nor held.
  wire                fe    = ce_i && !hold;

  wire                in_axon_ev   = active_i && !draining_q && state_q == StIn && in_valid_i && !in_eos_i;
  wire [CntW-1:0]     ptr_count    = ptr_rdata_i[CntW-1:0];
  wire [SynAddrW-1:0] ptr_base     = ptr_rdata_i[SynAddrW-1:0];
  wire [NeuronW:0]    spike_next   = spike_pos_q + 1'b1;
  // (spike_pos_q never passes spike_count_i: equality, no comparator.)
  wire                more_spikes  = spike_pos_q != spike_count_i;
  wire                issue        = active_i && !draining_q && state_q == StStream;
  wire [SynAddrW-1:0] issue_addr   = first_q ? ptr_base : addr_q;

  // Pointer memory: one read per fetch clock.
  reg                 ptr_re;
  reg  [PtrAddrW-1:0] ptr_addr;
  localparam [PtrAddrW-1:0] FwdBase   = PtrFwd[PtrAddrW-1:0];
  localparam [PtrAddrW-1:0] SpikeBase = PtrSpike[PtrAddrW-1:0];
  localparam [PtrAddrW-1:0] TraceBase = PtrTrace[PtrAddrW-1:0];
  localparam [PtrAddrW-1:0] AxonsP    = Axons[PtrAddrW-1:0];
  always @(*) begin
    ptr_re   = 1'b0;
    ptr_addr = {PtrAddrW{1'b0}};
    if (active_i && !draining_q) begin
      case (state_q)
        StIn: begin
          ptr_re   = in_axon_ev;
          ptr_addr = FwdBase | {{(PtrAddrW - AxonW - 1){1'b0}}, in_axon_i, 1'b1};
        end
        StInBase: begin
          ptr_re   = 1'b1;
          ptr_addr = FwdBase | {{(PtrAddrW - AxonW - 1){1'b0}}, axon_q, 1'b0};
        end
        StInTrace, StInBump: begin
          ptr_re   = (state_q == StInTrace);
          ptr_addr = TraceBase | {{(PtrAddrW - AxonW + 1){1'b0}}, axon_q[AxonW-1:1]};
        end
        StSpike: begin
          ptr_re   = 1'b1;
          ptr_addr = SpikeBase | {{(PtrAddrW - NeuronW - 1){1'b0}}, spike_pos_q};
        end
        StSpikeCount: begin
          ptr_re   = 1'b1;
          ptr_addr = FwdBase | {AxonsP[PtrAddrW-2:0] | {{(PtrAddrW - NeuronW - 1){1'b0}}, ptr_rdata_i[NeuronW-1:0]}, 1'b1};
        end
        StSpikeBase: begin
          ptr_re   = 1'b1;
          ptr_addr = FwdBase | {AxonsP[PtrAddrW-2:0] | {{(PtrAddrW - NeuronW - 1){1'b0}}, neuron_q}, 1'b0};
        end
        default: ;
      endcase
    end
  end
  // Axon trace bump (learning): the trace word was read in StInTrace; write the axon's byte.
  wire            bump     = active_i && !draining_q && state_q == StInBump && learn_en_i;
  wire [TW-1:0]   at_old   = axon_q[0] ? ptr_rdata_i[15:8] : ptr_rdata_i[7:0];
  wire [TW:0]     at_sum   = {1'b0, at_old} + {1'b0, trace_increment_i};
  wire [TW-1:0]   at_new   = at_sum[TW] ? {TW{1'b1}} : at_sum[TW-1:0];
  assign ptr_re_o    = fe && ptr_re;
  assign ptr_we_o    = (fe && bump) ? {axon_q[0], !axon_q[0]} : 2'b00;
  assign ptr_addr_o  = ptr_addr;
  assign ptr_wdata_o = {at_new, at_new};

  wire in_wait = active_i && !draining_q && state_q == StIn;
  assign in_pop_o = fe && in_wait && in_valid_i;
  assign stall_o  = in_wait && !in_valid_i;
  assign input_event_o = fe && in_axon_ev;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= StIn;
      spike_pos_q  <= {(NeuronW + 1){1'b0}};
      left_q       <= {CntW{1'b0}};
      first_q      <= 1'b0;
      from_input_q <= 1'b0;
      draining_q   <= 1'b0;
      drain_q      <= 2'd0;
    end else if (!active_i) begin
      state_q     <= StIn;
      spike_pos_q <= {(NeuronW + 1){1'b0}};
      draining_q  <= 1'b0;
      drain_q     <= 2'd0;
    end else if (fe) begin
      if (draining_q) begin
        drain_q <= drain_q + 1'b1;
      end else begin
        case (state_q)
          StIn: begin
            if (in_valid_i) begin
              if (!in_eos_i) state_q <= StInBase;
              else if (more_spikes) state_q <= StSpike;
              else draining_q <= 1'b1;
            end
          end
          StInBase: begin
            left_q  <= ptr_count;
            state_q <= StInTrace;
          end
          StInTrace: state_q <= StInBump;
          StInBump: begin
            first_q      <= 1'b0;
            from_input_q <= 1'b1;
            state_q      <= (left_q == {CntW{1'b0}}) ? StIn : StStream;
          end
          StSpike: state_q <= StSpikeCount;
          StSpikeCount: state_q <= StSpikeBase;
          StSpikeBase: begin
            left_q       <= ptr_count;
            first_q      <= 1'b1;
            from_input_q <= 1'b0;
            spike_pos_q  <= spike_next;
            if (ptr_count != {CntW{1'b0}}) state_q <= StStream;
            else if (spike_next != spike_count_i) state_q <= StSpike;
            else draining_q <= 1'b1;
          end
          default: begin // StStream
            left_q  <= left_q - 1'b1;
            first_q <= 1'b0;
            if (left_q == {{(CntW - 1){1'b0}}, 1'b1}) begin
              if (from_input_q) state_q <= StIn;
              else if (more_spikes) state_q <= StSpike;
              else draining_q <= 1'b1;
            end
          end
        endcase
      end
    end
  end

  always @(posedge clk_i) begin
    if (fe && active_i && !draining_q) begin
      if (state_q == StIn) axon_q <= in_axon_i;
      if (state_q == StInTrace) addr_q <= ptr_base;
      if (state_q == StSpikeCount) neuron_q <= ptr_rdata_i[NeuronW-1:0];
      if (state_q == StStream) addr_q <= issue_addr + 1'b1;
    end
  end

  wire unused_ptr_hi = ptr_rdata_i[15];

  assign last_o = active_i && draining_q && drain_q == Drain[1:0] - 2'd1 && fe;

  // ---------------------------------------------------------------- S0: issue
  assign syn_r_re_o   = fe && issue;
  assign syn_r_addr_o = issue_addr;
  assign synaptic_event_o = fe && issue;

  // ---------------------------------------------------------------- S1: ring address, trace read
  reg [SynAddrW-1:0] s1_addr_q;
  // Arrival slot: (t + delay + 1) mod 16, the delay field holding delay - 1.
  wire [`LOCI_DELAY_W-1:0] slot1 = slot_i + syn_delay_i + 1'b1;
  assign st_re_o    = ce_i && s1_q;
  assign st_raddr_o = syn_target_i;

  // ---------------------------------------------------------------- S2: W read, ring read, delta
  reg [SynAddrW-1:0] s2_addr_q;
  reg [RingAW-1:0]   s2_ring_q;
  assign syn_w_re_o   = ce_i && s2_q;
  assign ring_re_o    = ce_i && s2_q;
  assign ring_raddr_o = s2_ring_q;

  // ---------------------------------------------------------------- S3: accumulate, write back
  reg [SynAddrW-1:0] s3_addr_q;
  reg [RingAW-1:0]   s3_ring_q;
  // The target's trace (why: the shared STDP unit takes it in S3, from a register).
  reg [TW-1:0]       s3_trace_q;
  // The last ring write of this phase (why: a read in the same clock as that write returns the
  // old word; the newest value of an entry is always either this or the memory word).
  reg                fwd_valid_q;
  reg [RingAW-1:0]   fwd_addr_q;
  reg [`LOCI_RING_W-1:0] fwd_data_q;

  wire [`LOCI_RING_W-1:0] ring_old = (fwd_valid_q && fwd_addr_q == s3_ring_q) ? fwd_data_q : ring_rdata_i;
  wire [`LOCI_RING_W-1:0] ring_new = ring_old + {{(`LOCI_RING_W - `LOCI_WEIGHT_W){syn_weight_i[`LOCI_WEIGHT_W-1]}}, syn_weight_i};
  assign trace_o        = s3_trace_q;
  assign wb_addr_o      = s3_addr_q;
  assign ring_we_o      = ce_i && s3_q;
  assign ring_waddr_o   = s3_ring_q;
  assign ring_wdata_o   = ring_new;
  assign syn_w_we_o     = ce_i && s4_q;
  // S4 writes only while S2 is empty (the hold), so the port serves one of them per clock.
  assign syn_w_addr_o   = s2_addr_q;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_q <= 1'b0; s2_q <= 1'b0; s3_q <= 1'b0; s4_q <= 1'b0; fwd_valid_q <= 1'b0;
    end else begin
      if (fe) s1_q <= issue;
      if (ce_i) begin
        s2_q <= s1_q && !hold;
        s3_q <= s2_q;
        s4_q <= s3_q && s3_learn_q;
        if (s3_q) fwd_valid_q <= 1'b1;
        if (!active_i) fwd_valid_q <= 1'b0;
      end
    end
  end

  always @(posedge clk_i) begin
    if (fe) s1_addr_q <= issue_addr;
    if (fe) begin
      s2_addr_q    <= s1_addr_q;
      s2_ring_q    <= {syn_target_i, slot1};
      s2_plastic_q <= syn_plastic_i;
    end
    if (ce_i) begin
      s3_addr_q  <= s2_addr_q;
      s3_ring_q  <= s2_ring_q;
      s3_learn_q <= s2_plastic_q && learn_en_i;
      s3_trace_q <= st_trace_i;
      if (s3_q) begin
        fwd_addr_q <= s3_ring_q;
        fwd_data_q <= ring_new;
      end
    end
  end

endmodule

`default_nettype wire

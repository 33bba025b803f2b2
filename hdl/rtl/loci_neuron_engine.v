// SPDX-License-Identifier: Apache-2.0
// Phase A of docs/core-spec.md section 5: every neuron j = 0 .. numNeurons-1 consumes its ring
// slot for this step, then updates current, membrane, refractory counter and trace. One neuron
// enters per clock; a six-stage pipeline (A0 issue .. A5 write) keeps each stage short:
//   A0 read params/state/ring   A1 decay amounts, input << weightShift, clear the ring slot
//   A2 new current, v - decay   A3 v + i saturated, threshold compare
//   A4 reset, refractory, trace A5 write state, emit the spike
// The phase lasts numNeurons + NEURON_PHASE clocks (NEURON_PHASE = pipeline drain).

`default_nettype none

`include "loci_spec.vh"

module loci_neuron_engine #(
  parameter integer Neurons = `LOCI_NEURONS,
  // Neuron index bits (derived; do not override).
  parameter integer NeuronW = $clog2(Neurons)
) (
  input  wire                               clk_i,
  input  wire                               rst_ni,
  // Clock enable of the whole core: low while the core stalls (nothing moves, nothing counts).
  input  wire                               ce_i,
  // High for the whole phase; the engine restarts from neuron 0 each time it rises.
  input  wire                               active_i,
  // Clears the spike count at the start of a step.
  input  wire                               step_start_i,
  // Neurons updated (0 .. Neurons) and the ring slot of this step (step mod 16).
  input  wire [NeuronW:0]                   num_neurons_i,
  input  wire [`LOCI_DELAY_W-1:0]           slot_i,
  // Learning settings used here: traces run only when enabled.
  input  wire                               learn_en_i,
  input  wire [`LOCI_TAU_SHIFT_W-1:0]       tau_trace_shift_i,
  input  wire [`LOCI_LEARN_AMPLITUDE_W-1:0] trace_increment_i,
  // Record window: spikes of neurons in [base, base + count) go to the host.
  input  wire [NeuronW:0]                   record_base_i,
  input  wire [NeuronW:0]                   record_count_i,
  // Read port (A0): neuron index for the parameter, state and ring memories.
  output wire                               rd_en_o,
  output wire [NeuronW-1:0]                 rd_neuron_o,
  // Read data (A1), one cycle after rd_en_o.
  input  wire [`LOCI_PARAM_WORD_W-1:0]      param_i,
  input  wire [`LOCI_STATE_WORD_W-1:0]      state_i,
  input  wire [`LOCI_RING_W-1:0]            ring_i,
  // Ring clear (A1): ring[neuron][slot] = 0.
  output wire                               ring_clr_o,
  output wire [NeuronW+`LOCI_DELAY_W-1:0]   ring_clr_addr_o,
  // State write (A5).
  output wire                               state_we_o,
  output wire [NeuronW-1:0]                 state_waddr_o,
  output wire [`LOCI_STATE_WORD_W-1:0]      state_wdata_o,
  // Spike (A5): spike_index_o is its position in this step's spike list (ascending neurons).
  output wire                               spike_o,
  output wire                               spike_recorded_o,
  output wire [NeuronW-1:0]                 spike_neuron_o,
  output wire [NeuronW-1:0]                 spike_index_o,
  // Spikes of this step so far (valid for phases C and D once the phase has ended).
  output wire [NeuronW:0]                   spike_count_o,
  // High in the last clock of the phase.
  output wire                               last_o
);

  localparam integer Drain = `LOCI_CYC_NEURON_PHASE;
  localparam integer CntW  = NeuronW + 2;
  localparam integer VW    = `LOCI_MEMBRANE_W;
  localparam integer IW    = `LOCI_CURRENT_W;
  localparam integer RW    = `LOCI_RING_W;
  localparam integer TW    = `LOCI_TRACE_W;
  localparam integer RefW  = `LOCI_REFRACTORY_W;
  // in << weightShift, and the full current sum before saturation (docs: 27 and 28 bits).
  localparam integer InW   = RW + (1 << `LOCI_WEIGHT_SHIFT_W) - 1;
  localparam integer ISumW = InW + 1;
  localparam integer VSumW = VW + 2;

  initial begin
    if (Drain != 5) begin
      $error("loci_neuron_engine: the A0..A5 pipeline drains in 5 clocks; NEURON_PHASE is %0d", Drain);
      $finish;
    end
    if (NeuronW != $clog2(Neurons)) begin
      $error("loci_neuron_engine: NeuronW is derived from Neurons");
      $finish;
    end
  end

  // ---------------------------------------------------------------- A0: issue
  // Clocks since the phase began: neurons are issued while cnt < numNeurons, then the pipeline drains.
  reg  [CntW-1:0] cnt_q;
  wire [CntW-1:0] n_ext   = {1'b0, num_neurons_i};
  wire            issue   = active_i && (cnt_q < n_ext);
  assign last_o      = active_i && (cnt_q == n_ext + Drain[CntW-1:0] - 1'b1);
  assign rd_en_o     = ce_i && issue;
  assign rd_neuron_o = cnt_q[NeuronW-1:0];

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) cnt_q <= {CntW{1'b0}};
    else if (!active_i) cnt_q <= {CntW{1'b0}};
    else if (ce_i) cnt_q <= cnt_q + 1'b1;
  end

  // ---------------------------------------------------------------- A1: decays, input, ring clear
  // Stage valid bits: a neuron occupies stage k for one enabled clock.
  reg               a1_q, a2_q, a3_q, a4_q, a5_q;
  reg [NeuronW-1:0] a1_j_q;

  wire signed [IW-1:0]  cur1   = state_i[`LOCI_STATE_CURRENT_LSB +: IW];
  wire signed [VW-1:0]  mem1   = state_i[`LOCI_STATE_MEMBRANE_LSB +: VW];
  wire [RefW-1:0]       ref1   = state_i[`LOCI_STATE_REFRACTORY_COUNT_LSB +: RefW];
  wire [TW-1:0]         trace1 = state_i[`LOCI_STATE_TRACE_LSB +: TW];
  wire [`LOCI_TAU_SHIFT_W-1:0]   tau_syn1 = param_i[`LOCI_PARAM_TAU_SYN_SHIFT_LSB +: `LOCI_TAU_SHIFT_W];
  wire [`LOCI_TAU_SHIFT_W-1:0]   tau_mem1 = param_i[`LOCI_PARAM_TAU_MEM_SHIFT_LSB +: `LOCI_TAU_SHIFT_W];
  wire [`LOCI_WEIGHT_SHIFT_W-1:0] wshift1 = param_i[`LOCI_PARAM_WEIGHT_SHIFT_LSB +: `LOCI_WEIGHT_SHIFT_W];

  // i - decayAmount(i), and v - decayAmount(v) unless refractory (the membrane is held).
  wire signed [IW-1:0] cur_decayed1;
  wire signed [VW-1:0] mem_decayed1;
  wire [TW-1:0]        trace_decayed1;
  wire held1 = (ref1 != {RefW{1'b0}});
  loci_decay #(.Width(IW)) u_decay_current (
    .x_i(cur1), .shift_i(tau_syn1), .hold_i(1'b0), .decayed_o(cur_decayed1)
  );
  loci_decay #(.Width(VW)) u_decay_membrane (
    .x_i(mem1), .shift_i(tau_mem1), .hold_i(held1), .decayed_o(mem_decayed1)
  );
  loci_trace_decay u_decay_trace (.x_i(trace1), .shift_i(tau_trace_shift_i), .decayed_o(trace_decayed1));

  wire signed [IW:0] i_dec1 = {cur_decayed1[IW-1], cur_decayed1};
  wire signed [VW:0] v_dec1 = {mem_decayed1[VW-1], mem_decayed1};
  // The step's summed input times 2^weightShift (exact, 27 bits).
  wire signed [InW-1:0] in_shifted1 = $signed({{(InW - RW){ring_i[RW-1]}}, ring_i}) <<< wshift1;

  assign ring_clr_o      = ce_i && a1_q;
  assign ring_clr_addr_o = {a1_j_q, slot_i};

  // A1 -> A2 pipeline registers (why: the decay shifters and the adders of A2 in one clock
  // would be the longest path of the core).
  reg [NeuronW-1:0]     a2_j_q;
  reg signed [IW:0]     a2_idec_q;
  reg signed [InW-1:0]  a2_in_q;
  reg signed [VW:0]     a2_vdec_q;
  reg [RefW-1:0]        a2_ref_q;
  // The trace after this step's decay (the stored trace when learning is off).
  reg [TW-1:0]          a2_trace_q;
  reg [`LOCI_THRESHOLD_W-1:0] a2_thr_q;
  reg [RefW-1:0]        a2_refp_q;
  reg                   a2_subtract_q;

  // ---------------------------------------------------------------- A2: new current
  localparam signed [ISumW-1:0] IMax = (1 <<< (IW - 1)) - 1;
  localparam signed [ISumW-1:0] IMin = -(1 <<< (IW - 1));
  wire signed [ISumW-1:0] i_sum2 = $signed({{(ISumW - IW - 1){a2_idec_q[IW]}}, a2_idec_q})
                                 + $signed({a2_in_q[InW-1], a2_in_q});
  wire signed [IW-1:0]    i_new2 = (i_sum2 > IMax) ? IMax[IW-1:0]
                                 : (i_sum2 < IMin) ? IMin[IW-1:0]
                                 : i_sum2[IW-1:0];

  // A2 -> A3 (why: the membrane sum, its saturation and the threshold compare follow).
  reg [NeuronW-1:0]     a3_j_q;
  reg signed [IW-1:0]   a3_cur_q;
  reg signed [VW:0]     a3_vdec_q;
  reg [RefW-1:0]        a3_ref_q;
  reg [TW-1:0]          a3_trace_q;
  reg [`LOCI_THRESHOLD_W-1:0] a3_thr_q;
  reg [RefW-1:0]        a3_refp_q;
  reg                   a3_subtract_q;

  // ---------------------------------------------------------------- A3: v + i, compare
  localparam signed [VSumW-1:0] VMax = (1 <<< (VW - 1)) - 1;
  localparam signed [VSumW-1:0] VMin = -(1 <<< (VW - 1));
  wire                    held3  = (a3_ref_q != {RefW{1'b0}});
  wire signed [VSumW-1:0] v_sum3 = $signed({a3_vdec_q[VW], a3_vdec_q})
                                 + $signed({{(VSumW - IW){a3_cur_q[IW-1]}}, a3_cur_q});
  // A held membrane is the stored one (a3_vdec_q without the decay).
  wire signed [VW-1:0]    v_sat3 = held3 ? a3_vdec_q[VW-1:0]
                                 : (v_sum3 > VMax) ? VMax[VW-1:0]
                                 : (v_sum3 < VMin) ? VMin[VW-1:0]
                                 : v_sum3[VW-1:0];
  // The simulator compares the saturated v with the threshold field read as an unsigned 16-bit
  // number. For a threshold below 2^15 that equals comparing the unsaturated sum (saturation
  // only moves values beyond +-2^15), done here beside the saturation instead of after it; a
  // threshold of 2^15 or more is never reached.
  wire                    ge3    = !a3_thr_q[`LOCI_THRESHOLD_W-1] &&
                                   ($signed({{(VSumW - `LOCI_THRESHOLD_W){1'b0}}, a3_thr_q}) <= v_sum3);
  wire                    fire3  = ge3 && !held3;

  // A3 -> A4 (why: the reset subtract and the trace saturation follow the compare).
  reg [NeuronW-1:0]     a4_j_q;
  reg signed [IW-1:0]   a4_cur_q;
  reg signed [VW-1:0]   a4_vsat_q;
  reg                   a4_fire_q;
  reg [RefW-1:0]        a4_ref_q;
  reg [TW-1:0]          a4_trace_q;
  reg [`LOCI_THRESHOLD_W-1:0] a4_thr_q;
  reg [RefW-1:0]        a4_refp_q;
  reg                   a4_subtract_q;

  // ---------------------------------------------------------------- A4: reset, refractory, trace
  wire            held4    = (a4_ref_q != {RefW{1'b0}});
  // v >= threshold here, so v - threshold cannot overflow.
  wire signed [VW-1:0] v_reset4 = a4_subtract_q ? a4_vsat_q - $signed(a4_thr_q) : {VW{1'b0}};
  wire signed [VW-1:0] v_out4   = a4_fire_q ? v_reset4 : a4_vsat_q;
  wire [RefW-1:0]      ref_out4 = held4 ? a4_ref_q - 1'b1 : (a4_fire_q ? a4_refp_q : {RefW{1'b0}});
  wire [TW:0]          t_inc4   = {1'b0, a4_trace_q} + {1'b0, trace_increment_i};
  wire [TW-1:0]        t_fire4  = t_inc4[TW] ? {TW{1'b1}} : t_inc4[TW-1:0];
  wire [TW-1:0]        t_out4   = (learn_en_i && a4_fire_q) ? t_fire4 : a4_trace_q;
  wire [NeuronW+1:0]   j_ext4   = {2'b00, a4_j_q};
  wire [NeuronW+1:0]   rec_end4 = {1'b0, record_base_i} + {1'b0, record_count_i};
  wire                 rec4     = (j_ext4 >= {1'b0, record_base_i}) && (j_ext4 < rec_end4);

  // A4 -> A5 (why: the state word and the spike leave from registers, so the output stall
  // depends on flip-flops only).
  reg [NeuronW-1:0]            a5_j_q;
  reg [`LOCI_STATE_WORD_W-1:0] a5_state_q;
  reg                          a5_fire_q, a5_rec_q;
  reg [NeuronW:0]              spike_count_q;

  wire [`LOCI_STATE_WORD_W-1:0] state_out4 = {{`LOCI_STATE_RESERVED_W{1'b0}}, t_out4, ref_out4, a4_cur_q, v_out4};

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      a1_q <= 1'b0; a2_q <= 1'b0; a3_q <= 1'b0; a4_q <= 1'b0; a5_q <= 1'b0;
    end else if (ce_i) begin
      a1_q <= issue;
      a2_q <= a1_q;
      a3_q <= a2_q;
      a4_q <= a3_q;
      a5_q <= a4_q;
    end
  end

  // Data registers need no reset: the valid bits above qualify them.
  always @(posedge clk_i) begin
    if (ce_i) begin
      a1_j_q        <= rd_neuron_o;
      a2_j_q        <= a1_j_q;
      a2_idec_q     <= i_dec1;
      a2_in_q       <= in_shifted1;
      a2_vdec_q     <= v_dec1;
      a2_ref_q      <= ref1;
      a2_trace_q    <= learn_en_i ? trace_decayed1 : trace1;
      a2_thr_q      <= param_i[`LOCI_PARAM_THRESHOLD_LSB +: `LOCI_THRESHOLD_W];
      a2_refp_q     <= param_i[`LOCI_PARAM_REFRACTORY_PERIOD_LSB +: RefW];
      a2_subtract_q <= param_i[`LOCI_PARAM_RESET_MODE_LSB];
      a3_j_q        <= a2_j_q;
      a3_cur_q      <= i_new2;
      a3_vdec_q     <= a2_vdec_q;
      a3_ref_q      <= a2_ref_q;
      a3_trace_q    <= a2_trace_q;
      a3_thr_q      <= a2_thr_q;
      a3_refp_q     <= a2_refp_q;
      a3_subtract_q <= a2_subtract_q;
      a4_j_q        <= a3_j_q;
      a4_cur_q      <= a3_cur_q;
      a4_vsat_q     <= v_sat3;
      a4_fire_q     <= fire3;
      a4_ref_q      <= a3_ref_q;
      a4_trace_q    <= a3_trace_q;
      a4_thr_q      <= a3_thr_q;
      a4_refp_q     <= a3_refp_q;
      a4_subtract_q <= a3_subtract_q;
      a5_j_q        <= a4_j_q;
      a5_state_q    <= state_out4;
      a5_fire_q     <= a4_fire_q;
      a5_rec_q      <= a4_fire_q && rec4;
    end
  end

  // ---------------------------------------------------------------- A5: write back, spike out
  assign state_we_o       = ce_i && a5_q;
  assign state_waddr_o    = a5_j_q;
  assign state_wdata_o    = a5_state_q;
  assign spike_o          = a5_q && a5_fire_q;
  assign spike_recorded_o = a5_q && a5_rec_q;
  assign spike_neuron_o   = a5_j_q;
  assign spike_index_o    = spike_count_q[NeuronW-1:0];
  assign spike_count_o    = spike_count_q;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) spike_count_q <= {(NeuronW + 1){1'b0}};
    else if (step_start_i) spike_count_q <= {(NeuronW + 1){1'b0}};
    else if (ce_i && spike_o) spike_count_q <= spike_count_q + 1'b1;
  end

  // The reserved state bits read as zero.
  wire unused_ok = ^state_i[`LOCI_STATE_RESERVED_LSB +: `LOCI_STATE_RESERVED_W];

endmodule

`default_nettype wire

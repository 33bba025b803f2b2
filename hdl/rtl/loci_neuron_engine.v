// SPDX-License-Identifier: Apache-2.0
// Phase A of docs/core-spec.md section 5: every neuron j = 0 .. numNeurons-1 consumes its ring
// slot for this step, then updates current, membrane, refractory counter and trace. One neuron
// enters per clock into a five-stage pipeline (A0 issue .. A4 write):
//   A0 read the upper parameter half (shifts, refractory period, reset mode), state and ring
//   A1 decays (registered in the DSPs), input << weightShift
//   A2 new current (saturated); read the threshold (the lower parameter half); clear the ring slot
//   A3 v + i saturated, threshold compare, reset, refractory, trace
//   A4 write the state, emit the spike
// The phase lasts numNeurons + NEURON_PHASE clocks: the last neuron is written by clock
// numNeurons + 3, and the phase keeps the cycle model's NEURON_PHASE = 5.

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
  // The core's reset sweep: the state word written (state_wdata_o) is 0 from the next clock.
  input  wire                               clear_i,
  // Neurons updated (0 .. Neurons) and the ring slot of this step (step mod 16).
  input  wire [NeuronW:0]                   num_neurons_i,
  input  wire [`LOCI_DELAY_W-1:0]           slot_i,
  // Learning settings used here: traces run only when enabled.
  input  wire                               learn_en_i,
  input  wire [`LOCI_LEARN_AMPLITUDE_W-1:0] trace_increment_i,
  // Record window: spikes of neurons in [base, base + count) go to the host.
  input  wire [NeuronW:0]                   record_base_i,
  input  wire [NeuronW:0]                   record_count_i,
  // Read port (A0): neuron index for the upper parameter half, the state and the ring.
  output wire                               rd_en_o,
  output wire [NeuronW-1:0]                 rd_neuron_o,
  // Read data (A1), one cycle after rd_en_o: parameter bits 31:16, the state word, the ring entry.
  input  wire [`LOCI_PARAM_WORD_W-17:0]     param_hi_i,
  input  wire [`LOCI_STATE_WORD_W-1:0]      state_i,
  input  wire [`LOCI_RING_W-1:0]            ring_i,
  // The trace of state_i after this step's decay (the stored trace when learning is off),
  // registered: in A2 (a trace decay unit shared with phase B, in loci_core).
  input  wire [`LOCI_TRACE_W-1:0]           trace_decayed_i,
  // Threshold read (A2; the lower parameter half), its data in A3.
  output wire                               thr_re_o,
  output wire [NeuronW-1:0]                 thr_neuron_o,
  input  wire [`LOCI_THRESHOLD_W-1:0]       threshold_i,
  // Ring clear (A2): ring[neuron][slot] = 0.
  output wire                               ring_clr_o,
  output wire [NeuronW+`LOCI_DELAY_W-1:0]   ring_clr_addr_o,
  // State write (A4).
  output wire                               state_we_o,
  output wire [NeuronW-1:0]                 state_waddr_o,
  output wire [`LOCI_STATE_WORD_W-1:0]      state_wdata_o,
  // Spike (A4): spike_index_o is its position in this step's spike list (ascending neurons).
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
  localparam integer CntW  = NeuronW + 1;
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
    if (Drain < 4) begin
      $error("loci_neuron_engine: the A0..A4 pipeline drains in 4 clocks; NEURON_PHASE is %0d", Drain);
      $finish;
    end
    if (NeuronW != $clog2(Neurons)) begin
      $error("loci_neuron_engine: NeuronW is derived from Neurons");
      $finish;
    end
  end

  // ---------------------------------------------------------------- A0: issue
  // Neurons issued so far; issuing until numNeurons (>= 1) have been, then the drain clocks
  // (why: a flag and a small drain count, not magnitude comparators on the count).
  reg  [CntW-1:0] cnt_q;
  reg             issuing_q;
  reg  [2:0]      drain_q;
  wire [CntW-1:0] cnt_next = cnt_q + 1'b1;
  wire            issue    = active_i && issuing_q;
  assign last_o      = active_i && !issuing_q && (drain_q == Drain[2:0] - 3'd1);
  assign rd_en_o     = ce_i && issue;
  assign rd_neuron_o = cnt_q[NeuronW-1:0];

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q     <= {CntW{1'b0}};
      issuing_q <= 1'b0;
      drain_q   <= 3'd0;
    end else if (!active_i) begin
      cnt_q     <= {CntW{1'b0}};
      issuing_q <= 1'b1;
      drain_q   <= 3'd0;
    end else if (ce_i) begin
      if (issuing_q) begin
        cnt_q <= cnt_next;
        if (cnt_next == num_neurons_i) issuing_q <= 1'b0;
      end else begin
        drain_q <= drain_q + 1'b1;
      end
    end
  end

  // ---------------------------------------------------------------- A1: decays, input
  // Stage valid bits: a neuron occupies stage k for one enabled clock.
  reg               a1_q, a2_q, a3_q, a4_q;

  localparam integer HiLsb = 16;
  wire signed [IW-1:0]  cur1   = state_i[`LOCI_STATE_CURRENT_LSB +: IW];
  wire signed [VW-1:0]  mem1   = state_i[`LOCI_STATE_MEMBRANE_LSB +: VW];
  wire [RefW-1:0]       ref1   = state_i[`LOCI_STATE_REFRACTORY_COUNT_LSB +: RefW];
  wire [`LOCI_TAU_SHIFT_W-1:0]   tau_syn1 = param_hi_i[`LOCI_PARAM_TAU_SYN_SHIFT_LSB - HiLsb +: `LOCI_TAU_SHIFT_W];
  wire [`LOCI_TAU_SHIFT_W-1:0]   tau_mem1 = param_hi_i[`LOCI_PARAM_TAU_MEM_SHIFT_LSB - HiLsb +: `LOCI_TAU_SHIFT_W];
  wire [`LOCI_WEIGHT_SHIFT_W-1:0] wshift1 = param_hi_i[`LOCI_PARAM_WEIGHT_SHIFT_LSB - HiLsb +: `LOCI_WEIGHT_SHIFT_W];

  // i - decayAmount(i), and v - decayAmount(v) unless refractory (the membrane is held); both
  // arrive registered in A2 (the registers are the DSPs' own).
  wire held1 = (ref1 != {RefW{1'b0}});
  wire signed [IW-1:0] a2_idec;
  wire signed [VW-1:0] a2_vdec;
  loci_decay #(.Width(IW)) u_decay_current (
    .clk_i(clk_i), .ce_i(ce_i), .x_i(cur1), .shift_i(tau_syn1), .hold_i(1'b0), .decayed_o(a2_idec)
  );
  loci_decay #(.Width(VW)) u_decay_membrane (
    .clk_i(clk_i), .ce_i(ce_i), .x_i(mem1), .shift_i(tau_mem1), .hold_i(held1), .decayed_o(a2_vdec)
  );
  wire [TW-1:0] a2_trace = trace_decayed_i;

  // The step's summed input times 2^weightShift (exact, 27 bits).
  wire signed [InW-1:0] in_shifted1 = $signed({{(InW - RW){ring_i[RW-1]}}, ring_i}) <<< wshift1;

  // A1 -> A2 pipeline registers (why: the shifter and the A2 adder in one clock would be long).
  // Neurons pass each stage in ascending order, so the neuron in A2 (and in A4) is the count of
  // those that have left the stage (why: a counter, not an index carried down the pipeline).
  reg [NeuronW-1:0]     a2_j_q;
  reg signed [InW-1:0]  a2_in_q;
  reg [RefW-1:0]        a2_ref_q;
  reg [RefW-1:0]        a2_refp_q;
  reg                   a2_subtract_q;

  // ---------------------------------------------------------------- A2: new current, threshold read
  // sat16(i_dec + in): the sum overflows 16 bits exactly when its bits 27..15 are not all equal.
  wire signed [ISumW-1:0] i_sum2 = $signed({{(ISumW - IW){a2_idec[IW-1]}}, a2_idec})
                                 + $signed({a2_in_q[InW-1], a2_in_q});
  wire                    i_ovf2 = (i_sum2[ISumW-1:IW-1] != {(ISumW - IW + 1){i_sum2[ISumW-1]}});
  wire signed [IW-1:0]    i_new2 = i_ovf2 ? {i_sum2[ISumW-1], {(IW - 1){!i_sum2[ISumW-1]}}} : i_sum2[IW-1:0];
  assign thr_re_o     = ce_i && a2_q;
  assign thr_neuron_o = a2_j_q;
  assign ring_clr_o      = ce_i && a2_q;
  assign ring_clr_addr_o = {a2_j_q, slot_i};

  // A2 -> A3 (why: the membrane sum, its saturation, the compare and the reset follow).
  reg signed [IW-1:0]   a3_cur_q;
  reg signed [VW-1:0]   a3_vdec_q;
  reg [RefW-1:0]        a3_ref_q;
  reg [TW-1:0]          a3_trace_q;
  reg [RefW-1:0]        a3_refp_q;
  reg                   a3_subtract_q;
  reg                   a3_rec_q;

  // Record window: spikes of neurons in [base, base + count) go to the host.
  // j is in the window from j == base (unless count is 0) until j == base + count: a flag
  // updated as j steps up (why: equalities, no magnitude comparators).
  reg                  rec2;
  wire [NeuronW+1:0]   rec_end2  = {1'b0, record_base_i} + {1'b0, record_count_i};
  wire [NeuronW+1:0]   j_next2   = {2'b00, a2_j_q} + 1'b1;
  wire                 rec_count = (record_count_i != {(NeuronW + 1){1'b0}});

  // ---------------------------------------------------------------- A3: v + i, compare, reset
  wire                    held3  = (a3_ref_q != {RefW{1'b0}});
  // A held membrane arrives undecayed (the DSP passes it), and takes no input.
  wire signed [VSumW-1:0] v_sum3 = $signed({{(VSumW - VW){a3_vdec_q[VW-1]}}, a3_vdec_q})
                                 + $signed({{(VSumW - IW){a3_cur_q[IW-1]}}, a3_cur_q});
  wire                    v_ovf3 = (v_sum3[VSumW-1:VW-1] != {(VSumW - VW + 1){v_sum3[VSumW-1]}});
  wire signed [VW-1:0]    v_sat3 = held3 ? a3_vdec_q
                                 : v_ovf3 ? {v_sum3[VSumW-1], {(VW - 1){!v_sum3[VSumW-1]}}}
                                 : v_sum3[VW-1:0];
  // The simulator compares the saturated v with the threshold field read as an unsigned 16-bit
  // number. For a threshold below 2^15 that equals comparing the unsaturated sum (saturation
  // only moves values beyond +-2^15); a threshold of 2^15 or more is never reached. The same
  // difference is the subtract reset: v - threshold, or 32767 - threshold when v saturated high.
  wire [`LOCI_THRESHOLD_W-1:0] thr3 = threshold_i;
  wire signed [VSumW:0]   d3     = $signed({v_sum3[VSumW-1], v_sum3}) - $signed({{(VSumW + 1 - `LOCI_THRESHOLD_W){1'b0}}, thr3});
  wire                    fire3  = !thr3[`LOCI_THRESHOLD_W-1] && !d3[VSumW] && !held3;
  wire signed [VW-1:0]    v_sub3 = (v_ovf3 && !v_sum3[VSumW-1]) ? {1'b0, ~thr3[VW-2:0]} : d3[VW-1:0];
  wire signed [VW-1:0]    v_out3 = !fire3 ? v_sat3 : (a3_subtract_q ? v_sub3 : {VW{1'b0}});
  wire [RefW-1:0]         ref_out3 = held3 ? a3_ref_q - 1'b1 : (fire3 ? a3_refp_q : {RefW{1'b0}});
  wire [TW:0]             t_inc3   = {1'b0, a3_trace_q} + {1'b0, trace_increment_i};
  wire [TW-1:0]           t_fire3  = t_inc3[TW] ? {TW{1'b1}} : t_inc3[TW-1:0];
  wire [TW-1:0]           t_out3   = (learn_en_i && fire3) ? t_fire3 : a3_trace_q;

  // A3 -> A4 (why: the state word and the spike leave from registers, so the output stall
  // depends on flip-flops only).
  reg [NeuronW-1:0]            a4_j_q;
  reg [`LOCI_STATE_WORD_W-1:0] a4_state_q;
  reg                          a4_fire_q, a4_rec_q;
  reg [NeuronW:0]              spike_count_q;

  wire [`LOCI_STATE_WORD_W-1:0] state_out3 = {{`LOCI_STATE_RESERVED_W{1'b0}}, t_out3, ref_out3, a3_cur_q, v_out3};

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      a1_q <= 1'b0; a2_q <= 1'b0; a3_q <= 1'b0; a4_q <= 1'b0;
    end else if (ce_i) begin
      a1_q <= issue;
      a2_q <= a1_q;
      a3_q <= a2_q;
      a4_q <= a3_q;
    end
  end

  always @(posedge clk_i) begin
    if (!active_i) begin
      a2_j_q <= {NeuronW{1'b0}};
      a4_j_q <= {NeuronW{1'b0}};
      rec2   <= (record_base_i == {(NeuronW + 1){1'b0}}) && rec_count;
    end else if (ce_i) begin
      if (a2_q) begin
        a2_j_q <= j_next2[NeuronW-1:0];
        rec2   <= (j_next2 == {1'b0, record_base_i} && rec_count) || (rec2 && j_next2 != rec_end2);
      end
      if (a4_q) a4_j_q <= a4_j_q + 1'b1;
    end
  end

  // Data registers need no reset: the valid bits above qualify them.
  always @(posedge clk_i) begin
    if (ce_i) begin
      a2_in_q       <= in_shifted1;
      a2_ref_q      <= ref1;
      a2_refp_q     <= param_hi_i[`LOCI_PARAM_REFRACTORY_PERIOD_LSB - HiLsb +: RefW];
      a2_subtract_q <= param_hi_i[`LOCI_PARAM_RESET_MODE_LSB - HiLsb];
      a3_cur_q      <= i_new2;
      a3_vdec_q     <= a2_vdec;
      a3_ref_q      <= a2_ref_q;
      a3_trace_q    <= a2_trace;
      a3_refp_q     <= a2_refp_q;
      a3_subtract_q <= a2_subtract_q;
      a3_rec_q      <= rec2;
      a4_fire_q     <= fire3;
      a4_rec_q      <= fire3 && a3_rec_q;
    end
    // The state word written: this neuron's, or 0 while the core clears its memories.
    if (clear_i) a4_state_q <= {`LOCI_STATE_WORD_W{1'b0}};
    else if (ce_i) a4_state_q <= state_out3;
  end

  // ---------------------------------------------------------------- A4: write back, spike out
  assign state_we_o       = ce_i && a4_q;
  assign state_waddr_o    = a4_j_q;
  assign state_wdata_o    = a4_state_q;
  assign spike_o          = a4_q && a4_fire_q;
  assign spike_recorded_o = a4_q && a4_rec_q;
  assign spike_neuron_o   = a4_j_q;
  assign spike_index_o    = spike_count_q[NeuronW-1:0];
  assign spike_count_o    = spike_count_q;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) spike_count_q <= {(NeuronW + 1){1'b0}};
    else if (step_start_i) spike_count_q <= {(NeuronW + 1){1'b0}};
    else if (ce_i && spike_o) spike_count_q <= spike_count_q + 1'b1;
  end

  // The reserved state bits read as zero; the trace is decayed in loci_core.
  wire unused_ok = ^{state_i[`LOCI_STATE_RESERVED_LSB +: `LOCI_STATE_RESERVED_W], state_i[`LOCI_STATE_TRACE_LSB +: TW]};

endmodule

`default_nettype wire

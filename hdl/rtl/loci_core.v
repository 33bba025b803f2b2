// SPDX-License-Identifier: Apache-2.0
// The Loci neuromorphic core: a time-multiplexed LIF processor with per-neuron delay rings and
// pair-based STDP (docs/core-spec.md). This top holds the memories, the step sequencer (phases
// A, B, C, D of section 5, counted as the cycle model of section 6), the event queues, the
// counters, and the host interface of section 9. Memories (default build):
//   EBR   params N x 32, state N x 48, ring 16N x 20                      (25 of 30 EBR)
//   SPRAM synapse R half {src low, plastic, delay, target} S x 16,
//         synapse W half {src high, weight} S x 16, fan-in list S x 16,
//         pointer memory: fan-out and fan-in pointers, spike list, axon traces (4 of 4 SPRAM)

`default_nettype none

`include "loci_spec.vh"
`include "loci_core_map.vh"

module loci_core #(
  parameter integer Neurons  = `LOCI_NEURONS,
  parameter integer Axons    = `LOCI_AXONS,
  parameter integer Synapses = `LOCI_SYNAPSES,
  // "generic" (inferred RAMs: simulation, other FPGAs) or "ice40" (SB_SPRAM256KA).
  parameter [63:0] MemTarget = "generic",
  // Derived widths (do not override).
  parameter integer NeuronW  = $clog2(Neurons),
  parameter integer AxonW    = $clog2(Axons)
) (
  input  wire                          clk_i,
  input  wire                          rst_ni,
  // ---- control: run and reset are taken when ctl_ready_o; abort any time during a run
  output wire                          ctl_ready_o,
  input  wire                          ctl_run_i,
  input  wire [31:0]                   ctl_steps_i,
  input  wire                          ctl_reset_i,
  input  wire                          ctl_abort_i,
  output wire                          busy_o,
  output wire                          done_o,
  output wire                          step_done_o,
  output wire [31:0]                   step_cycles_o,
  output wire [31:0]                   step_counter_o,
  output wire [31:0]                   steps_left_o,
  // ---- host memory port
  input  wire                          mem_valid_i,
  output wire                          mem_ready_o,
  input  wire [1:0]                    mem_op_i,
  input  wire [`LOCI_MEM_ID_W-1:0]     mem_id_i,
  input  wire [`LOCI_MEM_ADDR_W-1:0]   mem_addr_i,
  input  wire [`LOCI_MEM_DATA_W-1:0]   mem_wdata_i,
  output wire                          mem_rvalid_o,
  output wire [`LOCI_MEM_STATUS_W-1:0] mem_status_o,
  output wire [`LOCI_MEM_DATA_W-1:0]   mem_rdata_o,
  // ---- input events: an axon, or the end-of-step marker (in_eos_i); in_ready_o is high in the
  // clock the core takes the word (the link's buffer is the queue)
  input  wire                          in_valid_i,
  output wire                          in_ready_o,
  input  wire                          in_eos_i,
  input  wire [AxonW-1:0]              in_axon_i,
  // ---- output events: a recorded spike of out_neuron_o, or the end of the step (out_eos_o);
  // the core stalls while an event waits for out_ready_i
  output wire                          out_valid_o,
  input  wire                          out_ready_i,
  output wire                          out_eos_o,
  output wire [NeuronW-1:0]            out_neuron_o
);

  // ---------------------------------------------------------------- layout and checks
  // x rounded up to a multiple of size rounded up to a power of two.
  function automatic integer Align(input integer x, input integer size);
    integer p;
    begin
      p = 1 << $clog2(size);
      Align = ((x + p - 1) / p) * p;
    end
  endfunction
  localparam integer Slots    = `LOCI_DELAY_SLOTS;
  localparam integer SlotW    = `LOCI_DELAY_W;
  localparam integer SynAW    = $clog2(Synapses);
  localparam integer SrcW     = `LOCI_SOURCE_ID_W;
  localparam integer RingAW   = NeuronW + SlotW;
  localparam integer RingW    = `LOCI_RING_W;
  localparam integer StateW   = `LOCI_STATE_WORD_W;
  localparam integer ParamW   = `LOCI_PARAM_WORD_W;
  localparam integer WW8      = `LOCI_WEIGHT_W;
  localparam integer TW       = `LOCI_TRACE_W;
  localparam integer DW       = `LOCI_MEM_DATA_W;
  // Synapse halves in SPRAM: R = {source low bits, plastic, delay, target}, W = {source high
  // bits, weight}. R is never written while running, so phase C reads it two clocks ahead.
  localparam integer SrcLoW   = 16 - NeuronW - SlotW - 1;
  localparam integer SrcHiW   = SrcW - SrcLoW;
  // Pointer memory: fan-out pointers (2 words per source), fan-in pointers (2 per neuron),
  // the spike list (1 per neuron), axon traces (2 per word). Each region starts at a multiple
  // of its size rounded up to a power of two (why: base + offset is then base | offset, no
  // adder): 0, 4096, 4608, 5120 by default.
  localparam integer PtrFwd   = 0;
  localparam integer PtrRev   = Align(PtrFwd + 2 * (Axons + Neurons), 2 * Neurons);
  localparam integer PtrSpike = Align(PtrRev + 2 * Neurons, Neurons);
  localparam integer PtrTrace = Align(PtrSpike + Neurons, Axons / 2);
  localparam integer PtrWords = PtrTrace + Axons / 2;
  // The pointer memory is one whole SPRAM on the iCE40; elsewhere just large enough.
  // (On the iCE40 it is one SB_SPRAM256KA; the wrapper pads the address.)
  localparam integer PtrDepth = 1 << $clog2(PtrWords);
  localparam integer PtrAW    = $clog2(PtrDepth);
  localparam integer ClearW   = RingAW + 1;
  // STDP delta as the engines carry it, clamped to 2^WEIGHT_W (loci_stdp_delta).
  localparam integer DeltaW     = `LOCI_WEIGHT_W + 1;

  initial begin
    if (NeuronW != `LOCI_NEURON_INDEX_W || AxonW != `LOCI_AXON_INDEX_W || SynAW != `LOCI_SYNAPSE_ADDRESS_W) begin
      $error("loci_core: capacity %0d/%0d/%0d does not match loci_spec.vh; regenerate it for this capacity",
             Neurons, Axons, Synapses);
      $finish;
    end
    // Axons a multiple of 2^NeuronW: the fan-out pointer of neuron j, at 2 * (Axons + j), is
    // then {Axons | j, word} (the engines OR instead of adding).
    if (SrcLoW < 1 || SrcHiW + WW8 != 16 || PtrWords > PtrDepth || Axons % 2 != 0 || Axons % (1 << NeuronW) != 0) begin
      $error("loci_core: the synapse halves or the pointer memory do not fit 16-bit x 16 K SPRAMs");
      $finish;
    end
  end

  // ---------------------------------------------------------------- sequencer
  // One-hot state (why: the phase selects every memory port mux; one flip-flop per phase keeps
  // those selects one level deep).
  localparam integer IClear = 0, IIdle = 1, IStart = 2, IA = 3, IB = 4, IC = 5, ID = 6, IEnd = 7;
  localparam [7:0] SqClear = 8'b1 << IClear, SqIdle = 8'b1 << IIdle, SqStart = 8'b1 << IStart,
                   SqA = 8'b1 << IA, SqB = 8'b1 << IB, SqC = 8'b1 << IC, SqD = 8'b1 << ID,
                   SqEnd = 8'b1 << IEnd;
  reg  [7:0]        sq_q;
  reg  [31:0]       steps_left_q;
  // Abort requested: the run ends after the step in progress.
  reg               abort_q;
  // A step of a valid image (section 9.5: disjoint fan-out lists, at most A input events) costs
  // at most ~73 k counted clocks: 17 bits hold it.
  localparam integer StepCycW = 17;
  // Clear sweep position (ring entries; state and trace words are fewer).
  reg  [ClearW-1:0] clear_q;
  reg  [31:0]       step_q;
  // Clocks counted so far in this step (stalls excluded), plus one: in the step's last clock
  // it is the step's count, with the last clock (why: no adder before cnt_last_q).
  reg  [StepCycW-1:0] step_cyc_q;
  reg               done_q, step_done_q;

  wire hp_idle;
  wire learn_en;
  wire a_last, b_last, c_last, d_last, c_stall;
  wire a_spike, a_spike_rec;

  wire running = !sq_q[IClear] && !sq_q[IIdle];
  // An output event waits for the link (phase A: a recorded spike; step end: the marker).
  assign out_valid_o = (sq_q[IA] && a_spike_rec) || sq_q[IEnd];
  wire stall   = (out_valid_o && !out_ready_i) || (sq_q[IC] && c_stall);
  // Clock enable of every engine: low while stalled; stalled clocks are not counted.
  wire ce      = !stall;

  assign ctl_ready_o = sq_q[IIdle] && hp_idle;
  wire run_go   = ctl_ready_o && ctl_run_i;
  wire reset_go = ctl_ready_o && ctl_reset_i && !ctl_run_i;
  wire clear_last = (clear_q == {1'b0, {RingAW{1'b1}}});
  wire end_step = sq_q[IEnd] && ce;
  wire last_step = abort_q || (steps_left_q == 32'd1);

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sq_q         <= SqClear;
      steps_left_q <= 32'd0;
      abort_q      <= 1'b0;
      clear_q      <= {ClearW{1'b0}};
      step_q       <= 32'd0;
      step_cyc_q   <= {StepCycW{1'b0}};
      done_q       <= 1'b0;
      step_done_q  <= 1'b0;
    end else begin
      done_q      <= 1'b0;
      step_done_q <= end_step;
      if (running && ctl_abort_i) abort_q <= 1'b1;
      case (1'b1) // one-hot
        sq_q[IClear]: begin
          clear_q <= clear_q + 1'b1;
          if (clear_last) begin
            sq_q   <= SqIdle;
            done_q <= 1'b1;
          end
        end
        sq_q[IIdle]: begin
          abort_q <= 1'b0;
          if (run_go) begin
            steps_left_q <= ctl_steps_i;
            if (ctl_steps_i == 32'd0) done_q <= 1'b1;
            else sq_q <= SqStart;
          end else if (reset_go) begin
            sq_q    <= SqClear;
            clear_q <= {ClearW{1'b0}};
            step_q  <= 32'd0;
          end
        end
        sq_q[IStart]: sq_q <= SqA;
        sq_q[IA]: if (ce && a_last) sq_q <= learn_en ? SqB : SqC;
        sq_q[IB]: if (b_last) sq_q <= SqC;
        sq_q[IC]: if (ce && c_last) sq_q <= learn_en ? SqD : SqEnd;
        sq_q[ID]: if (d_last) sq_q <= SqEnd;
        default: begin // SqEnd
          if (ce) begin
            step_q       <= step_q + 1'b1;
            steps_left_q <= steps_left_q - 1'b1;
            if (last_step) begin
              sq_q         <= SqIdle;
              steps_left_q <= 32'd0;
              done_q       <= 1'b1;
            end else begin
              sq_q <= SqStart;
            end
          end
        end
      endcase
      if (sq_q[IStart]) step_cyc_q <= {{(StepCycW - 2){1'b0}}, 2'd2};
      else if (running && ce) step_cyc_q <= step_cyc_q + 1'b1;
    end
  end

  assign busy_o         = !sq_q[IIdle];
  assign done_o         = done_q;
  assign step_done_o    = step_done_q;
  assign step_counter_o = step_q;
  assign steps_left_o   = steps_left_q;
  wire   clearing       = sq_q[IClear];
  wire   step_start     = sq_q[IStart];
  wire [SlotW-1:0] slot = step_q[SlotW-1:0];

  // ---------------------------------------------------------------- counters
  // The cycles of the last step fit StepCycW bits (a valid image bounds a step, see step_cyc_q).
  // The event counters are loci_counter: three of them (the DSP blocks the datapaths leave) in
  // an SB_MAC16 on the iCE40, the others in fabric.
  localparam [63:0] DspCounter = MemTarget;
  reg [StepCycW-1:0] cnt_last_q;
  wire [31:0] cnt_cycles, cnt_spikes, cnt_in, cnt_syn, cnt_out, cnt_stall;
  wire c_input_event, c_syn_event;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) cnt_last_q <= {StepCycW{1'b0}};
    else if (clearing) cnt_last_q <= {StepCycW{1'b0}};
    else if (end_step) cnt_last_q <= step_cyc_q;
  end
  loci_counter #(.Target(DspCounter)) u_cnt_cycles (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(clearing), .inc_i(running && ce), .count_o(cnt_cycles)
  );
  loci_counter #(.Target(DspCounter)) u_cnt_stall (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(clearing), .inc_i(running && !ce), .count_o(cnt_stall)
  );
  loci_counter u_cnt_spikes (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(clearing), .inc_i(ce && sq_q[IA] && a_spike), .count_o(cnt_spikes)
  );
  loci_counter u_cnt_out (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(clearing), .inc_i(ce && sq_q[IA] && a_spike_rec), .count_o(cnt_out)
  );
  loci_counter u_cnt_in (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(clearing), .inc_i(sq_q[IC] && c_input_event), .count_o(cnt_in)
  );
  loci_counter #(.Target(DspCounter)) u_cnt_syn (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(clearing), .inc_i(sq_q[IC] && c_syn_event), .count_o(cnt_syn)
  );
  wire [31:0] last_cycles = {{(32 - StepCycW){1'b0}}, cnt_last_q};
  assign step_cycles_o = last_cycles;

  // ---------------------------------------------------------------- host port
  wire [NeuronW:0] num_neurons, record_base, record_count;
  wire [AxonW:0]   num_axons;
  wire [`LOCI_LEARN_WORD_W-1:0] learning;
  wire                        hp_re, hp_we, hp_word;
  wire [`LOCI_MEM_COUNT-1:0]  hp_sel;
  wire [`LOCI_MEM_ADDR_W-1:0] hp_addr;
  wire [DW-1:0]               hp_wdata;
  reg  [DW-1:0]               hp_rdata;

  loci_host_port #(.Neurons(Neurons), .Axons(Axons), .Synapses(Synapses)) u_host_port (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .mem_valid_i   (mem_valid_i),
    .mem_ready_o   (mem_ready_o),
    .mem_op_i      (mem_op_i),
    .mem_id_i      (mem_id_i),
    .mem_addr_i    (mem_addr_i),
    .mem_wdata_i   (mem_wdata_i),
    .mem_rvalid_o  (mem_rvalid_o),
    .mem_status_o  (mem_status_o),
    .mem_rdata_o   (mem_rdata_o),
    .core_busy_i   (busy_o || run_go),
    .idle_o        (hp_idle),
    .num_neurons_o (num_neurons),
    .num_axons_o   (num_axons),
    .record_base_o (record_base),
    .record_count_o(record_count),
    .learning_o    (learning),
    .op_re_o       (hp_re),
    .op_we_o       (hp_we),
    .op_sel_o      (hp_sel),
    .op_addr_o     (hp_addr),
    .op_word_o     (hp_word),
    .op_wdata_o    (hp_wdata),
    .op_rdata_i    (hp_rdata)
  );

  assign learn_en = learning[`LOCI_LEARN_ENABLED_LSB];
  wire [`LOCI_TAU_SHIFT_W-1:0]       tau_trace = learning[`LOCI_LEARN_TAU_TRACE_SHIFT_LSB +: `LOCI_TAU_SHIFT_W];
  wire [`LOCI_LEARN_AMPLITUDE_W-1:0] trace_inc = learning[`LOCI_LEARN_TRACE_INCREMENT_LSB +: `LOCI_LEARN_AMPLITUDE_W];
  wire [`LOCI_LEARN_AMPLITUDE_W-1:0] a_plus    = learning[`LOCI_LEARN_A_PLUS_LSB +: `LOCI_LEARN_AMPLITUDE_W];
  wire [`LOCI_LEARN_AMPLITUDE_W-1:0] a_minus   = learning[`LOCI_LEARN_A_MINUS_LSB +: `LOCI_LEARN_AMPLITUDE_W];
  wire [`LOCI_LEARN_SHIFT_W-1:0]     l_shift   = learning[`LOCI_LEARN_LEARN_SHIFT_LSB +: `LOCI_LEARN_SHIFT_W];
  wire [WW8-1:0]                     w_min     = learning[`LOCI_LEARN_W_MIN_LSB +: WW8];
  wire [WW8-1:0]                     w_max     = learning[`LOCI_LEARN_W_MAX_LSB +: WW8];

  // The memory of the host's request (one-hot; memories are touched only while idle).
  wire h_params   = hp_sel[`LOCI_MEM_PARAMS];
  wire h_syn      = hp_sel[`LOCI_MEM_SYNAPSES];
  wire h_wts      = hp_sel[`LOCI_MEM_WEIGHTS];
  wire h_fwd      = hp_sel[`LOCI_MEM_FANOUT_PTR];
  wire h_rev      = hp_sel[`LOCI_MEM_FANIN_PTR];
  wire h_list     = hp_sel[`LOCI_MEM_FANIN_LIST];
  wire h_state    = hp_sel[`LOCI_MEM_STATE];
  wire h_ring     = hp_sel[`LOCI_MEM_RING];
  wire h_trace    = hp_sel[`LOCI_MEM_AXON_TRACE];
  wire h_config   = hp_sel[`LOCI_MEM_CONFIG];
  wire h_counters = hp_sel[`LOCI_MEM_COUNTERS];
  localparam [PtrAW-1:0] PtrFwdA   = PtrFwd[PtrAW-1:0];
  localparam [PtrAW-1:0] PtrRevA   = PtrRev[PtrAW-1:0];
  localparam [PtrAW-1:0] PtrSpikeA = PtrSpike[PtrAW-1:0];
  localparam [PtrAW-1:0] PtrTraceA = PtrTrace[PtrAW-1:0];
  wire [PtrAW-1:0] h_ptr_addr = h_trace ? PtrTraceA | hp_addr[PtrAW:1]
                              : (h_fwd ? PtrFwdA : PtrRevA) | {hp_addr[PtrAW-2:0], hp_word};

  // ---------------------------------------------------------------- output events
  wire [NeuronW-1:0] a_spike_neuron;
  assign out_eos_o    = sq_q[IEnd];
  assign out_neuron_o = a_spike_neuron;

  // ---------------------------------------------------------------- engines
  wire in_a = sq_q[IA];
  wire in_b = sq_q[IB];
  wire in_c = sq_q[IC];
  wire in_d = sq_q[ID];

  // Memory read data.
  wire [ParamW-1:0] param_rdata;
  wire [ParamW-17:0] param_hi_rdata = param_rdata[ParamW-1:16];
  wire [StateW-1:0] state_rdata;
  wire [RingW-1:0]  ring_rdata;
  wire [15:0]       r_rdata, w_rdata, list_rdata, ptr_rdata;
  wire [TW-1:0]     st_trace = state_rdata[`LOCI_STATE_TRACE_LSB +: TW];

  // Synapse fields as the halves hold them.
  wire [NeuronW-1:0] r_target  = r_rdata[NeuronW-1:0];
  wire [SlotW-1:0]   r_delay   = r_rdata[NeuronW +: SlotW];
  wire               r_plastic = r_rdata[NeuronW + SlotW];
  wire [SrcLoW-1:0]  r_src_lo  = r_rdata[15 -: SrcLoW];
  wire [WW8-1:0]     w_weight  = w_rdata[WW8-1:0];
  wire [SrcHiW-1:0]  w_src_hi  = w_rdata[15 -: SrcHiW];
  wire [SrcW-1:0]    syn_source = {w_src_hi, r_src_lo};

  // One trace decay unit (a DSP) for phase A (the neuron's trace, read in A0) and phase B (the
  // lower axon trace of the word read); registered, learning off = no decay.
  localparam [`LOCI_TAU_SHIFT_W-1:0] NoDecay = `LOCI_TAU_NO_DECAY;
  wire [TW-1:0] trace_decayed;
  loci_trace_decay u_trace_decay (
    .clk_i    (clk_i),
    .ce_i     (ce),
    .x_i      (in_b ? ptr_rdata[7:0] : st_trace),
    .shift_i  (learn_en ? tau_trace : NoDecay),
    .decayed_o(trace_decayed)
  );

  // Phase A.
  wire               a_rd_en, a_thr_re, a_ring_clr, a_state_we;
  wire [NeuronW-1:0] a_rd_neuron, a_thr_neuron, a_state_waddr, a_spike_index;
  wire [RingAW-1:0]  a_ring_clr_addr;
  wire [StateW-1:0]  a_state_wdata;
  wire [NeuronW:0]   spike_count;
  loci_neuron_engine #(.Neurons(Neurons)) u_phase_a (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .ce_i             (ce),
    .active_i         (in_a),
    .step_start_i     (step_start),
    .clear_i          (clearing),
    .num_neurons_i    (num_neurons),
    .slot_i           (slot),
    .learn_en_i       (learn_en),
    .trace_increment_i(trace_inc),
    .record_base_i    (record_base),
    .record_count_i   (record_count),
    .rd_en_o          (a_rd_en),
    .rd_neuron_o      (a_rd_neuron),
    .param_hi_i       (param_hi_rdata),
    .state_i          (state_rdata),
    .ring_i           (ring_rdata),
    .trace_decayed_i  (trace_decayed),
    .thr_re_o         (a_thr_re),
    .thr_neuron_o     (a_thr_neuron),
    .threshold_i      (param_rdata[15:0]),
    .ring_clr_o       (a_ring_clr),
    .ring_clr_addr_o  (a_ring_clr_addr),
    .state_we_o       (a_state_we),
    .state_waddr_o    (a_state_waddr),
    .state_wdata_o    (a_state_wdata),
    .spike_o          (a_spike),
    .spike_recorded_o (a_spike_rec),
    .spike_neuron_o   (a_spike_neuron),
    .spike_index_o    (a_spike_index),
    .spike_count_o    (spike_count),
    .last_o           (a_last)
  );

  // Phase B.
  wire             b_ptr_re;
  wire [1:0]       b_ptr_we;
  wire [PtrAW-1:0] b_ptr_addr;
  wire [15:0]      b_ptr_wdata;
  loci_axon_trace_engine #(.Axons(Axons), .PtrTrace(PtrTrace), .PtrAddrW(PtrAW)) u_phase_b (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .ce_i             (ce),
    .active_i         (in_b),
    .num_axons_i      (num_axons),
    .tau_trace_shift_i(tau_trace),
    .decayed_lo_i     (trace_decayed),
    .ptr_re_o         (b_ptr_re),
    .ptr_we_o         (b_ptr_we),
    .ptr_addr_o       (b_ptr_addr),
    .ptr_wdata_o      (b_ptr_wdata),
    .ptr_rdata_i      (ptr_rdata),
    .last_o           (b_last)
  );

  // The STDP unit and the weight write-back stage, shared by phases C (depression: aMinus and
  // the target's trace, S3 -> S4) and D (potentiation: aPlus and the pre trace, D3 -> D4).
  wire [DeltaW-1:0]  stdp_delta;
  wire [TW-1:0]      c_trace, d_pre_trace;
  wire [WW8-1:0]     d_wb_weight, learned_weight;
  wire [SynAW-1:0]   c_wb_addr, d_wb_addr;
  loci_stdp_delta u_stdp_delta (
    .amplitude_i(in_d ? a_plus : a_minus),
    .trace_i    (in_d ? d_pre_trace : c_trace),
    .shift_i    (l_shift),
    .delta_o    (stdp_delta)
  );
  // The write-back stage: the synapse, its weight and its delta (why: the clip after the
  // weight read and the delta would make the longest path of the core).
  reg [SynAW-1:0]  wb_addr_q;
  reg [WW8-1:0]    wb_weight_q;
  reg [DeltaW-1:0] wb_delta_q;
  always @(posedge clk_i) begin
    if (ce) begin
      wb_addr_q   <= in_d ? d_wb_addr : c_wb_addr;
      wb_weight_q <= in_d ? d_wb_weight : w_weight;
      wb_delta_q  <= stdp_delta;
    end
  end
  loci_weight_clip #(.DeltaW(DeltaW)) u_clip (
    .weight_i    (wb_weight_q),
    .delta_i     (wb_delta_q),
    .potentiate_i(in_d),
    .w_min_i     (w_min),
    .w_max_i     (w_max),
    .weight_o    (learned_weight)
  );

  // Phase C.
  wire             c_ptr_re, c_r_re, c_st_re, c_w_re, c_w_we, c_ring_re, c_ring_we;
  wire [1:0]       c_ptr_we;
  wire [PtrAW-1:0] c_ptr_addr;
  wire [15:0]      c_ptr_wdata;
  wire [SynAW-1:0] c_r_addr, c_w_addr;
  wire [NeuronW-1:0] c_st_addr;
  wire [RingAW-1:0] c_ring_raddr, c_ring_waddr;
  wire [RingW-1:0] c_ring_wdata;
  loci_delivery_engine #(
    .Neurons(Neurons), .Axons(Axons), .Synapses(Synapses),
    .PtrFwd(PtrFwd), .PtrSpike(PtrSpike), .PtrTrace(PtrTrace), .PtrAddrW(PtrAW)
  ) u_phase_c (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .ce_i             (ce),
    .active_i         (in_c),
    .slot_i           (slot),
    .spike_count_i    (spike_count),
    .learn_en_i       (learn_en),
    .trace_increment_i(trace_inc),
    .trace_o          (c_trace),
    .wb_addr_o        (c_wb_addr),
    .in_valid_i       (in_valid_i),
    .in_eos_i         (in_eos_i),
    .in_axon_i        (in_axon_i),
    .in_pop_o         (in_ready_o),
    .stall_o          (c_stall),
    .ptr_re_o         (c_ptr_re),
    .ptr_we_o         (c_ptr_we),
    .ptr_addr_o       (c_ptr_addr),
    .ptr_wdata_o      (c_ptr_wdata),
    .ptr_rdata_i      (ptr_rdata),
    .syn_r_re_o       (c_r_re),
    .syn_r_addr_o     (c_r_addr),
    .syn_target_i     (r_target),
    .syn_delay_i      (r_delay),
    .syn_plastic_i    (r_plastic),
    .st_re_o          (c_st_re),
    .st_raddr_o       (c_st_addr),
    .st_trace_i       (st_trace),
    .syn_w_re_o       (c_w_re),
    .syn_w_we_o       (c_w_we),
    .syn_w_addr_o     (c_w_addr),
    .syn_weight_i     (w_weight),
    .ring_re_o        (c_ring_re),
    .ring_raddr_o     (c_ring_raddr),
    .ring_rdata_i     (ring_rdata),
    .ring_we_o        (c_ring_we),
    .ring_waddr_o     (c_ring_waddr),
    .ring_wdata_o     (c_ring_wdata),
    .input_event_o    (c_input_event),
    .synaptic_event_o (c_syn_event),
    .last_o           (c_last)
  );

  // Phase D.
  wire             d_ptr_re, d_list_re, d_syn_re, d_w_we, d_st_re;
  wire [PtrAW-1:0] d_ptr_addr;
  wire [SynAW-1:0] d_list_addr, d_syn_addr;
  wire [NeuronW-1:0] d_st_addr;
  loci_ltp_engine #(
    .Neurons(Neurons), .Axons(Axons), .Synapses(Synapses),
    .PtrRev(PtrRev), .PtrSpike(PtrSpike), .PtrTrace(PtrTrace), .PtrAddrW(PtrAW)
  ) u_phase_d (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .ce_i          (ce),
    .active_i      (in_d),
    .spike_count_i (spike_count),
    .pre_trace_o   (d_pre_trace),
    .wb_weight_o   (d_wb_weight),
    .wb_addr_o     (d_wb_addr),
    .ptr_re_o      (d_ptr_re),
    .ptr_addr_o    (d_ptr_addr),
    .ptr_rdata_i   (ptr_rdata),
    .rev_re_o      (d_list_re),
    .rev_addr_o    (d_list_addr),
    .rev_rdata_i   (list_rdata[SynAW-1:0]),
    .syn_re_o      (d_syn_re),
    .syn_w_we_o    (d_w_we),
    .syn_addr_o    (d_syn_addr),
    .syn_source_i  (syn_source),
    .syn_weight_i  (w_weight),
    .st_re_o       (d_st_re),
    .st_raddr_o    (d_st_addr),
    .st_trace_i    (st_trace),
    .last_o        (d_last)
  );

  // ---------------------------------------------------------------- memories and their ports
  // Host word <-> synapse halves.
  wire [WW8-1:0]     hs_weight  = hp_wdata[`LOCI_SYN_WEIGHT_LSB +: WW8];
  wire [NeuronW-1:0] hs_target  = hp_wdata[`LOCI_SYN_TARGET_LSB +: NeuronW];
  wire [SlotW-1:0]   hs_delay   = hp_wdata[`LOCI_SYN_DELAY_LSB +: SlotW];
  wire               hs_plastic = hp_wdata[`LOCI_SYN_PLASTIC_LSB];
  wire [SrcW-1:0]    hs_source  = hp_wdata[`LOCI_SYN_SOURCE_LSB +: SrcW];
  wire [15:0]        hs_r_word  = {hs_source[SrcLoW-1:0], hs_plastic, hs_delay, hs_target};
  wire [15:0]        hs_w_word  = {hs_source[SrcW-1:SrcLoW], hs_weight};

  // Parameters: phase A reads the upper half (A0) and the threshold (A2), the host reads and
  // writes both. Two memories of one EBR each (why: each half has its own read address).
  loci_ram_1r1w #(.Width(16), .Depth(Neurons)) u_params_lo (
    .clk_i  (clk_i),
    .re_i   (in_a ? a_thr_re : (hp_re && h_params)),
    .raddr_i(in_a ? a_thr_neuron : hp_addr[NeuronW-1:0]),
    .rdata_o(param_rdata[15:0]),
    .we_i   (hp_we && h_params),
    .waddr_i(hp_addr[NeuronW-1:0]),
    .wdata_i(hp_wdata[15:0])
  );
  loci_ram_1r1w #(.Width(ParamW - 16), .Depth(Neurons)) u_params_hi (
    .clk_i  (clk_i),
    .re_i   (in_a ? a_rd_en : (hp_re && h_params)),
    .raddr_i(in_a ? a_rd_neuron : hp_addr[NeuronW-1:0]),
    .rdata_o(param_rdata[ParamW-1:16]),
    .we_i   (hp_we && h_params),
    .waddr_i(hp_addr[NeuronW-1:0]),
    .wdata_i(hp_wdata[ParamW-1:16])
  );

  // Neuron state: phase A reads and writes; C and D read traces; the host reads; reset clears.
  reg               st_re;
  reg [NeuronW-1:0] st_raddr;
  always @(*) begin
    case (1'b1) // one-hot
      sq_q[IA]: begin st_re = a_rd_en; st_raddr = a_rd_neuron; end
      sq_q[IC]: begin st_re = c_st_re; st_raddr = c_st_addr; end
      sq_q[ID]: begin st_re = d_st_re; st_raddr = d_st_addr; end
      default: begin st_re = hp_re && h_state; st_raddr = hp_addr[NeuronW-1:0]; end
    endcase
  end
  loci_ram_1r1w #(.Width(StateW), .Depth(Neurons)) u_state (
    .clk_i  (clk_i),
    .re_i   (st_re),
    .raddr_i(st_raddr),
    .rdata_o(state_rdata),
    // The sweep clears state words at clear_q = N .. 2N - 1: phase A's write register holds
    // 0 by then (clear_i).
    .we_i   (clearing ? (clear_q[ClearW-1:NeuronW] == 1) : a_state_we),
    .waddr_i(clearing ? clear_q[NeuronW-1:0] : a_state_waddr),
    .wdata_i(a_state_wdata)
  );

  // Delay ring: phase A reads and clears its slot, phase C accumulates, the host reads.
  reg              ring_re, ring_we;
  reg [RingAW-1:0] ring_raddr, ring_waddr;
  reg [RingW-1:0]  ring_wdata;
  always @(*) begin
    ring_we = 1'b0; ring_waddr = {RingAW{1'b0}}; ring_wdata = {RingW{1'b0}};
    case (1'b1) // one-hot
      sq_q[IA]: begin ring_re = a_rd_en; ring_raddr = {a_rd_neuron, slot};
                     ring_we = a_ring_clr; ring_waddr = a_ring_clr_addr; end
      sq_q[IC]: begin ring_re = c_ring_re; ring_raddr = c_ring_raddr;
                     ring_we = c_ring_we; ring_waddr = c_ring_waddr; ring_wdata = c_ring_wdata; end
      sq_q[IClear]: begin ring_re = 1'b0; ring_raddr = {RingAW{1'b0}};
                     ring_we = 1'b1; ring_waddr = clear_q[RingAW-1:0]; end
      default: begin ring_re = hp_re && h_ring; ring_raddr = hp_addr[RingAW-1:0]; end
    endcase
  end
  loci_ram_1r1w #(.Width(RingW), .Depth(Neurons * Slots)) u_ring (
    .clk_i  (clk_i),
    .re_i   (ring_re),
    .raddr_i(ring_raddr),
    .rdata_o(ring_rdata),
    .we_i   (ring_we),
    .waddr_i(ring_waddr),
    .wdata_i(ring_wdata)
  );

  // Synapse R half: phase C (S0) and D (D1) read, the host reads and writes.
  reg             r_re;
  reg [SynAW-1:0] r_addr;
  always @(*) begin
    case (1'b1) // one-hot
      sq_q[IC]: begin r_re = c_r_re; r_addr = c_r_addr; end
      sq_q[ID]: begin r_re = d_syn_re; r_addr = d_syn_addr; end
      default: begin r_re = hp_re && (h_syn || h_wts); r_addr = hp_addr[SynAW-1:0]; end
    endcase
  end
  loci_ram_sp #(.Width(16), .Depth(Synapses), .MemTarget(MemTarget)) u_syn_r (
    .clk_i  (clk_i),
    .re_i   (r_re),
    .we_i   ((running || !(hp_we && h_syn)) ? 2'b00 : 2'b11),
    .addr_i (r_addr),
    .wdata_i(hs_r_word),
    .rdata_o(r_rdata)
  );

  // Synapse W half: phase C reads (S2) and writes weights (S3), phase D reads (D1) and writes
  // weights (D4), the host reads and writes.
  reg             w_re;
  reg [1:0]       w_we;
  reg [SynAW-1:0] w_addr;
  reg [15:0]      w_wdata;
  always @(*) begin
    case (1'b1) // one-hot
      sq_q[IC]: begin w_re = c_w_re; w_we = {1'b0, c_w_we}; w_addr = c_w_we ? wb_addr_q : c_w_addr; end
      sq_q[ID]: begin w_re = d_syn_re; w_we = {1'b0, d_w_we}; w_addr = d_w_we ? wb_addr_q : d_syn_addr; end
      default: begin w_re = hp_re && (h_syn || h_wts); w_we = (!running && hp_we && h_syn) ? 2'b11 : 2'b00;
                     w_addr = hp_addr[SynAW-1:0]; end
    endcase
    // Learned weights (byte 0 only) while running, the host's word otherwise.
    w_wdata = !running ? hs_w_word : {8'd0, learned_weight};
  end
  loci_ram_sp #(.Width(16), .Depth(Synapses), .MemTarget(MemTarget)) u_syn_w (
    .clk_i  (clk_i),
    .re_i   (w_re),
    .we_i   (w_we),
    .addr_i (w_addr),
    .wdata_i(w_wdata),
    .rdata_o(w_rdata)
  );

  // Plastic fan-in list: phase D reads (D0), the host reads and writes.
  loci_ram_sp #(.Width(16), .Depth(Synapses), .MemTarget(MemTarget)) u_fanin_list (
    .clk_i  (clk_i),
    .re_i   (in_d ? d_list_re : (hp_re && h_list)),
    .we_i   ((in_d || running || !(hp_we && h_list)) ? 2'b00 : 2'b11),
    .addr_i (in_d ? d_list_addr : hp_addr[SynAW-1:0]),
    .wdata_i(hp_wdata[15:0]),
    .rdata_o(list_rdata)
  );

  // Pointer memory: A writes the spike list, B/C/D read pointers and axon traces, C bumps and
  // B decays axon traces, the host reads and writes pointers and reads traces, reset clears
  // the traces.
  reg             p_re;
  reg [1:0]       p_we;
  reg [PtrAW-1:0] p_addr;
  reg [15:0]      p_wdata;
  // Clear-sweep bits that address trace words (the sweep is longer than the traces).
  localparam integer     ClearPtrW   = (ClearW > PtrAW) ? PtrAW : ClearW;
  localparam integer     TraceWordsI = Axons / 2;
  localparam [ClearW-1:0] TraceWords = TraceWordsI[ClearW-1:0];
  always @(*) begin
    case (1'b1) // one-hot
      sq_q[IA]: begin p_re = 1'b0; p_we = (ce && a_spike) ? 2'b11 : 2'b00;
                     p_addr = PtrSpikeA | {{(PtrAW - NeuronW){1'b0}}, a_spike_index};
                     p_wdata = {{(16 - NeuronW){1'b0}}, a_spike_neuron}; end
      sq_q[IB]: begin p_re = b_ptr_re; p_we = b_ptr_we; p_addr = b_ptr_addr; p_wdata = b_ptr_wdata; end
      sq_q[IC]: begin p_re = c_ptr_re; p_we = c_ptr_we; p_addr = c_ptr_addr; p_wdata = c_ptr_wdata; end
      sq_q[ID]: begin p_re = d_ptr_re; p_we = 2'b00; p_addr = d_ptr_addr; p_wdata = 16'd0; end
      sq_q[IClear]: begin p_re = 1'b0; p_we = (clear_q < TraceWords) ? 2'b11 : 2'b00;
                     p_addr = PtrTraceA | {{(PtrAW - ClearPtrW){1'b0}}, clear_q[ClearPtrW-1:0]}; p_wdata = 16'd0; end
      default: begin p_re = hp_re && (h_fwd || h_rev || h_trace); p_we = (hp_we && (h_fwd || h_rev)) ? 2'b11 : 2'b00;
                     p_addr = h_ptr_addr; p_wdata = hp_word ? hp_wdata[31:16] : hp_wdata[15:0]; end
    endcase
  end
  loci_ram_sp #(.Width(16), .Depth(PtrDepth), .MemTarget(MemTarget)) u_pointers (
    .clk_i  (clk_i),
    .re_i   (p_re),
    .we_i   (p_we),
    .addr_i (p_addr),
    .wdata_i(p_wdata),
    .rdata_o(ptr_rdata)
  );

  // Host read data: CONFIG, COUNTERS, or the word of the memory read in the previous clock,
  // one AND-OR level over the one-hot select (a pointer half goes to both halves of the low 32
  // bits: the host port takes the base from bits 15:0, then the count from bits 31:16).
  wire [31:0] h_syn_word = {
    w_src_hi, r_src_lo, r_plastic, r_delay, r_target, w_weight
  };
  localparam integer LW = `LOCI_LEARN_WORD_W;
  wire [2:0] ha = hp_addr[2:0];
  wire [31:0] h_config_word =
      ({32{ha == `LOCI_CONFIG_NUM_NEURONS}}   & {{(31 - NeuronW){1'b0}}, num_neurons})
    | ({32{ha == `LOCI_CONFIG_NUM_AXONS}}     & {{(31 - AxonW){1'b0}}, num_axons})
    | ({32{ha == `LOCI_CONFIG_RECORD_BASE}}   & {{(31 - NeuronW){1'b0}}, record_base})
    | ({32{ha == `LOCI_CONFIG_RECORD_COUNT}}  & {{(31 - NeuronW){1'b0}}, record_count})
    | ({32{ha == `LOCI_CONFIG_LEARNING_LOW}}  & learning[31:0])
    | ({32{ha == `LOCI_CONFIG_LEARNING_HIGH}} & {{(64 - LW){1'b0}}, learning[LW-1:32]});
  wire [31:0] h_counter_word =
      ({32{ha == `LOCI_COUNTER_STEPS}}           & step_q)
    | ({32{ha == `LOCI_COUNTER_CYCLES}}          & cnt_cycles)
    | ({32{ha == `LOCI_COUNTER_LAST_STEP_CYCLES}} & last_cycles)
    | ({32{ha == `LOCI_COUNTER_SPIKES}}          & cnt_spikes)
    | ({32{ha == `LOCI_COUNTER_INPUT_EVENTS}}    & cnt_in)
    | ({32{ha == `LOCI_COUNTER_SYNAPTIC_EVENTS}} & cnt_syn)
    | ({32{ha == `LOCI_COUNTER_OUTPUT_EVENTS}}   & cnt_out)
    | ({32{ha == `LOCI_COUNTER_STALL_CYCLES}}    & cnt_stall);
  // (WEIGHTS is the synapse word's low byte; an axon trace is a pointer memory byte; the
  // reserved state bits are always written 0.)
  localparam integer StUsedW = `LOCI_STATE_RESERVED_LSB;
  wire h_ptr_lo = h_fwd || h_rev || (h_trace && !hp_addr[0]);
  always @(*) begin
    hp_rdata = {DW{1'b0}};
    hp_rdata[31:0] = ({32{h_config}} & h_config_word) | ({32{h_counters}} & h_counter_word)
                   | ({32{h_params}} & param_rdata) | ({{24{h_syn}}, {8{h_syn || h_wts}}} & h_syn_word)
                   | ({32{h_fwd || h_rev}} & {ptr_rdata, ptr_rdata[15:8], 8'd0})
                   | ({24'd0, {8{h_ptr_lo}} & ptr_rdata[7:0]})
                   | ({24'd0, {8{h_trace && hp_addr[0]}} & ptr_rdata[15:8]});
    hp_rdata[SynAW-1:0] = hp_rdata[SynAW-1:0] | ({SynAW{h_list}} & list_rdata[SynAW-1:0]);
    hp_rdata[RingW-1:0] = hp_rdata[RingW-1:0] | ({RingW{h_ring}} & ring_rdata);
    hp_rdata[StUsedW-1:0] = hp_rdata[StUsedW-1:0] | ({StUsedW{h_state}} & state_rdata[StUsedW-1:0]);
  end

  wire unused_ok = ^{list_rdata[15:SynAW], hp_addr[`LOCI_MEM_ADDR_W-1:PtrAW], hp_wdata[DW-1:32],
                     state_rdata[StateW-1:StUsedW]};

endmodule

`default_nettype wire

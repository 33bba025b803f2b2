// SPDX-License-Identifier: Apache-2.0
// The core's host memory port (docs/core-spec.md section 9): one request at a time, one
// response each. It decodes the memory id and address of the link protocol's memory map
// (docs/protocol.md section 6), checks the access (id, address, read-only, busy, value range),
// holds the CONFIG registers, and sequences the accesses to the core's memories, which it may
// touch only while the core is idle. loci_core assembles the word read (memories, CONFIG,
// COUNTERS) from the one-hot memory select op_sel_o.

`default_nettype none

`include "loci_spec.vh"
`include "loci_core_map.vh"

module loci_host_port #(
  parameter integer Neurons  = `LOCI_NEURONS,
  parameter integer Axons    = `LOCI_AXONS,
  parameter integer Synapses = `LOCI_SYNAPSES,
  // Derived widths (do not override).
  parameter integer NeuronW  = $clog2(Neurons),
  parameter integer AxonW    = $clog2(Axons)
) (
  input  wire                          clk_i,
  input  wire                          rst_ni,
  // Host side: a request is taken when mem_valid_i && mem_ready_o; its response is one clock
  // of mem_rvalid_o, 3 to 6 clocks later.
  input  wire                          mem_valid_i,
  output wire                          mem_ready_o,
  input  wire [1:0]                    mem_op_i,
  input  wire [`LOCI_MEM_ID_W-1:0]     mem_id_i,
  input  wire [`LOCI_MEM_ADDR_W-1:0]   mem_addr_i,
  input  wire [`LOCI_MEM_DATA_W-1:0]   mem_wdata_i,
  output wire                          mem_rvalid_o,
  output wire [`LOCI_MEM_STATUS_W-1:0] mem_status_o,
  output wire [`LOCI_MEM_DATA_W-1:0]   mem_rdata_o,
  // The core is running or clearing: only COUNTERS may be read.
  input  wire                          core_busy_i,
  // No request in progress (the core may start a run or a reset).
  output wire                          idle_o,
  // CONFIG registers.
  output wire [NeuronW:0]              num_neurons_o,
  output wire [AxonW:0]                num_axons_o,
  output wire [NeuronW:0]              record_base_o,
  output wire [NeuronW:0]              record_count_o,
  output wire [`LOCI_LEARN_WORD_W-1:0] learning_o,
  // The request for loci_core: op_sel_o is its memory id, one-hot (bit k = id k; stable from
  // the clock after it is taken until the response). op_re_o / op_we_o access a memory word;
  // op_word_o selects the half of a pointer entry (0 = base, 1 = count; op_wdata_o holds the
  // base in bits 15:0 and the count in bits 31:16). op_rdata_i is the word loci_core reads for the request: CONFIG and
  // COUNTERS at any time, a memory word in the clock after op_re_o (a pointer half in both
  // halves of its low 32 bits).
  output wire                          op_re_o,
  output wire                          op_we_o,
  output wire [`LOCI_MEM_COUNT-1:0]    op_sel_o,
  output wire [`LOCI_MEM_ADDR_W-1:0]   op_addr_o,
  output wire                          op_word_o,
  output wire [`LOCI_MEM_DATA_W-1:0]   op_wdata_o,
  input  wire [`LOCI_MEM_DATA_W-1:0]   op_rdata_i
);

  localparam integer DW   = `LOCI_MEM_DATA_W;
  localparam integer AW   = `LOCI_MEM_ADDR_W;
  localparam integer HW   = `LOCI_PTR_HALF_W;
  localparam integer LW   = `LOCI_LEARN_WORD_W;
  localparam integer StW  = `LOCI_MEM_STATUS_W;
  localparam integer MemN = `LOCI_MEM_COUNT;

  localparam [2:0] HIdle = 3'd0, HDecode = 3'd1, HApply = 3'd2, HMem0 = 3'd3, HMem1 = 3'd4, HMem2 = 3'd5,
                   HResp = 3'd6;

  localparam [31:0] LearnLowPowerUp  = `LOCI_CONFIG_LEARNING_LOW_POWER_UP;
  localparam [31:0] LearnHighPowerUp = `LOCI_CONFIG_LEARNING_HIGH_POWER_UP;

  reg [2:0]                  state_q;
  // The request being served (why: the host may change its inputs once it is taken); its
  // memory id one-hot (why: every check and data select is then one AND-OR level).
  reg [1:0]                  op_q;
  reg [MemN-1:0]             sel_q;
  reg [AW-1:0]               addr_q;
  // The request's word, then the response's (why: a write's word is not needed once written,
  // and a read has none; one register serves both).
  reg [DW-1:0]               data_q;
  reg [StW-1:0]              status_q;
  // CONFIG registers.
  reg [NeuronW:0]            num_neurons_q, record_base_q, record_count_q;
  reg [AxonW:0]              num_axons_q;
  reg [LW-1:0]               learning_q;

  assign mem_ready_o    = (state_q == HIdle);
  assign idle_o         = (state_q == HIdle);
  assign mem_rvalid_o   = (state_q == HResp);
  assign mem_status_o   = status_q;
  assign mem_rdata_o    = data_q;
  assign num_neurons_o  = num_neurons_q;
  assign num_axons_o    = num_axons_q;
  assign record_base_o  = record_base_q;
  assign record_count_o = record_count_q;
  assign learning_o     = learning_q;

  // ---------------------------------------------------------------- decode
  // x < c for a constant c, as logic (no carry chain): from the top bit down, x is below c at
  // the first bit where they differ if that bit of c is 1.
  function automatic below(input [AW-1:0] x, input [AW:0] cb);
    integer b;
    reg lt, eq;
    begin
      if (cb[AW]) below = 1'b1;
      else begin
        lt = 1'b0; eq = 1'b1;
        for (b = AW - 1; b >= 0; b = b - 1) begin
          lt = lt | (eq & ~x[b] & cb[b]);
          eq = eq & (x[b] == cb[b]);
        end
        below = lt;
      end
    end
  endfunction

  localparam integer IdParams = `LOCI_MEM_PARAMS, IdSyn = `LOCI_MEM_SYNAPSES, IdFwd = `LOCI_MEM_FANOUT_PTR,
                     IdRev = `LOCI_MEM_FANIN_PTR, IdList = `LOCI_MEM_FANIN_LIST, IdConfig = `LOCI_MEM_CONFIG,
                     IdState = `LOCI_MEM_STATE, IdRing = `LOCI_MEM_RING, IdTrace = `LOCI_MEM_AXON_TRACE,
                     IdCounters = `LOCI_MEM_COUNTERS, IdWeights = `LOCI_MEM_WEIGHTS;

  // Depths, sized.
  localparam integer DepthParamsI = `LOCI_MEM_PARAMS_DEPTH;
  localparam integer DepthSynapsesI = `LOCI_MEM_SYNAPSES_DEPTH;
  localparam integer DepthFanoutPtrI = `LOCI_MEM_FANOUT_PTR_DEPTH;
  localparam integer DepthFaninPtrI = `LOCI_MEM_FANIN_PTR_DEPTH;
  localparam integer DepthFaninListI = `LOCI_MEM_FANIN_LIST_DEPTH;
  localparam integer DepthConfigI = `LOCI_MEM_CONFIG_DEPTH;
  localparam integer DepthStateI = `LOCI_MEM_STATE_DEPTH;
  localparam integer DepthRingI = `LOCI_MEM_RING_DEPTH;
  localparam integer DepthAxonTraceI = `LOCI_MEM_AXON_TRACE_DEPTH;
  localparam integer DepthCountersI = `LOCI_MEM_COUNTERS_DEPTH;
  localparam integer DepthWeightsI = `LOCI_MEM_WEIGHTS_DEPTH;
  localparam [AW:0] DepthParams = DepthParamsI[AW:0];
  localparam [AW:0] DepthSynapses = DepthSynapsesI[AW:0];
  localparam [AW:0] DepthFanoutPtr = DepthFanoutPtrI[AW:0];
  localparam [AW:0] DepthFaninPtr = DepthFaninPtrI[AW:0];
  localparam [AW:0] DepthFaninList = DepthFaninListI[AW:0];
  localparam [AW:0] DepthConfig = DepthConfigI[AW:0];
  localparam [AW:0] DepthState = DepthStateI[AW:0];
  localparam [AW:0] DepthRing = DepthRingI[AW:0];
  localparam [AW:0] DepthAxonTrace = DepthAxonTraceI[AW:0];
  localparam [AW:0] DepthCounters = DepthCountersI[AW:0];
  localparam [AW:0] DepthWeights = DepthWeightsI[AW:0];
  // Per memory: address in range, writable, and the word's bits above its width all zero.
  wire [MemN-1:0] addr_ok, writable_m, fits_m;
  assign addr_ok[IdParams]   = below(addr_q, DepthParams);
  assign addr_ok[IdSyn]      = below(addr_q, DepthSynapses);
  assign addr_ok[IdFwd]      = below(addr_q, DepthFanoutPtr);
  assign addr_ok[IdRev]      = below(addr_q, DepthFaninPtr);
  assign addr_ok[IdList]     = below(addr_q, DepthFaninList);
  assign addr_ok[IdConfig]   = below(addr_q, DepthConfig);
  assign addr_ok[IdState]    = below(addr_q, DepthState);
  assign addr_ok[IdRing]     = below(addr_q, DepthRing);
  assign addr_ok[IdTrace]    = below(addr_q, DepthAxonTrace);
  assign addr_ok[IdCounters] = below(addr_q, DepthCounters);
  assign addr_ok[IdWeights]  = below(addr_q, DepthWeights);
  assign writable_m = {`LOCI_MEM_WEIGHTS_WRITABLE != 0, `LOCI_MEM_COUNTERS_WRITABLE != 0, `LOCI_MEM_AXON_TRACE_WRITABLE != 0,
                       `LOCI_MEM_RING_WRITABLE != 0, `LOCI_MEM_STATE_WRITABLE != 0, `LOCI_MEM_CONFIG_WRITABLE != 0,
                       `LOCI_MEM_FANIN_LIST_WRITABLE != 0, `LOCI_MEM_FANIN_PTR_WRITABLE != 0,
                       `LOCI_MEM_FANOUT_PTR_WRITABLE != 0, `LOCI_MEM_SYNAPSES_WRITABLE != 0, `LOCI_MEM_PARAMS_WRITABLE != 0};
  // Only writable memories need the width check (a write of a read-only one is refused first).
  wire [DW-1:0] wd = data_q;
  assign fits_m[IdParams]   = (wd >> `LOCI_MEM_PARAMS_BITS) == {DW{1'b0}};
  assign fits_m[IdSyn]      = (wd >> `LOCI_MEM_SYNAPSES_BITS) == {DW{1'b0}};
  assign fits_m[IdFwd]      = (wd >> `LOCI_MEM_FANOUT_PTR_BITS) == {DW{1'b0}};
  assign fits_m[IdRev]      = (wd >> `LOCI_MEM_FANIN_PTR_BITS) == {DW{1'b0}};
  assign fits_m[IdList]     = (wd >> `LOCI_MEM_FANIN_LIST_BITS) == {DW{1'b0}};
  assign fits_m[IdConfig]   = (wd >> `LOCI_MEM_CONFIG_BITS) == {DW{1'b0}};
  assign fits_m[IdState]    = 1'b1;
  assign fits_m[IdRing]     = 1'b1;
  assign fits_m[IdTrace]    = 1'b1;
  assign fits_m[IdCounters] = 1'b1;
  assign fits_m[IdWeights]  = 1'b1;

  wire known       = |sel_q;
  wire in_range    = |(sel_q & addr_ok);
  wire writable    = |(sel_q & writable_m);
  wire fits        = |(sel_q & fits_m);
  wire is_read     = (op_q == `LOCI_MEM_OP_READ);
  wire is_write    = (op_q == `LOCI_MEM_OP_WRITE);
  wire is_config   = sel_q[IdConfig];
  wire is_counters = sel_q[IdCounters];
  wire is_pointer  = sel_q[IdFwd] | sel_q[IdRev];

  // Value ranges of a write. A power of two C gives x < C as "no bit at or above log2 C".
  `define LOCI_HP_BELOW(x, c) ((((c) & ((c) - 1)) == 0) ? (((x) >> $clog2(c)) == 0) : ((x) < (c)))
  `define LOCI_HP_AT_MOST(x, c) (`LOCI_HP_BELOW(x, c) || ((x) == (c)))
  localparam [31:0] NeuronsU  = Neurons;
  localparam [31:0] AxonsU    = Axons;
  localparam [31:0] SynapsesU = Synapses;
  localparam [HW:0] SynapsesH = SynapsesU[HW:0];
  wire [31:0] v32      = data_q[31:0];
  wire [HW:0] ptr_base = {1'b0, data_q[HW-1:0]};
  wire [HW:0] ptr_end  = ptr_base + {1'b0, data_q[2*HW-1:HW]};
  reg         value_ok;
  always @(*) begin
    value_ok = 1'b1;
    if (is_config) begin
      case (addr_q[2:0])
        `LOCI_CONFIG_NUM_NEURONS:   value_ok = (v32 != 32'd0) && `LOCI_HP_AT_MOST(v32, NeuronsU);
        `LOCI_CONFIG_NUM_AXONS:     value_ok = `LOCI_HP_AT_MOST(v32, AxonsU);
        `LOCI_CONFIG_RECORD_BASE:   value_ok = `LOCI_HP_AT_MOST(v32, NeuronsU);
        `LOCI_CONFIG_RECORD_COUNT:  value_ok = `LOCI_HP_AT_MOST(v32, NeuronsU);
        `LOCI_CONFIG_LEARNING_HIGH: value_ok = (v32 >> (LW - 32)) == 32'd0;
        default: value_ok = 1'b1;
      endcase
    end else if (is_pointer) begin
      value_ok = `LOCI_HP_BELOW(ptr_base, SynapsesH) && `LOCI_HP_AT_MOST(ptr_end, SynapsesH);
    end else if (sel_q[IdList]) begin
      value_ok = `LOCI_HP_BELOW(v32, SynapsesU);
    end
  end
  `undef LOCI_HP_BELOW
  `undef LOCI_HP_AT_MOST

  reg [StW-1:0] check_status;
  always @(*) begin
    if (!known) check_status = `LOCI_STATUS_MEMORY;
    else if (!in_range) check_status = `LOCI_STATUS_ADDRESS;
    else if (!is_read && !writable) check_status = `LOCI_STATUS_READ_ONLY;
    else if (core_busy_i && !is_counters) check_status = `LOCI_STATUS_BUSY;
    else if (!is_read && !(fits && value_ok)) check_status = `LOCI_STATUS_RANGE;
    else check_status = `LOCI_STATUS_OK;
  end

  // ---------------------------------------------------------------- memory access
  wire mem_access = (state_q == HMem0) || (state_q == HMem1 && is_pointer);
  assign op_re_o    = mem_access && is_read;
  assign op_we_o    = mem_access && is_write;
  assign op_sel_o   = sel_q;
  assign op_addr_o  = addr_q;
  assign op_word_o  = (state_q == HMem1);
  assign op_wdata_o = data_q;

  wire accept = (state_q == HIdle) && mem_valid_i;
  wire ok     = (status_q == `LOCI_STATUS_OK);
  // The response word: a read's data (CONFIG and COUNTERS in HApply, a memory word in HMem1, a
  // pointer's count half in HMem2); everything else answers 0.
  wire load_lo = (state_q == HApply && ok && is_read && (is_config || is_counters)) || (state_q == HMem1 && is_read);
  wire load_hi = load_lo || (state_q == HMem2 && is_read);
  wire zero    = (state_q == HApply && !(ok && is_read) && !(ok && is_write && !is_config))
              || (state_q == HMem1 && is_write && !is_pointer) || (state_q == HMem2 && is_write);

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q        <= HIdle;
      status_q       <= {StW{1'b0}};
      num_neurons_q  <= `LOCI_CONFIG_NUM_NEURONS_POWER_UP;
      num_axons_q    <= `LOCI_CONFIG_NUM_AXONS_POWER_UP;
      record_base_q  <= `LOCI_CONFIG_RECORD_BASE_POWER_UP;
      record_count_q <= `LOCI_CONFIG_RECORD_COUNT_POWER_UP;
      learning_q     <= {LearnHighPowerUp[LW-33:0], LearnLowPowerUp};
    end else begin
      case (state_q)
        HIdle: if (mem_valid_i) state_q <= HDecode;
        // The checks take one clock, acting on them the next (two short paths, not one long).
        HDecode: begin
          status_q <= check_status;
          state_q  <= HApply;
        end
        HApply: begin
          if (!ok || op_q == `LOCI_MEM_OP_CHECK || is_config || is_counters) begin
            state_q <= HResp;
            if (ok && is_config && is_write) begin
              case (addr_q[2:0])
                `LOCI_CONFIG_NUM_NEURONS:   num_neurons_q  <= v32[NeuronW:0];
                `LOCI_CONFIG_NUM_AXONS:     num_axons_q    <= v32[AxonW:0];
                `LOCI_CONFIG_RECORD_BASE:   record_base_q  <= v32[NeuronW:0];
                `LOCI_CONFIG_RECORD_COUNT:  record_count_q <= v32[NeuronW:0];
                `LOCI_CONFIG_LEARNING_LOW:  learning_q[31:0] <= v32;
                default:                    learning_q[LW-1:32] <= v32[LW-33:0];
              endcase
            end
          end else begin
            state_q <= HMem0;
          end
        end
        HMem0: state_q <= HMem1;
        HMem1: state_q <= is_pointer ? HMem2 : HResp;
        HMem2: state_q <= HResp;
        default: state_q <= HIdle;
      endcase
    end
  end

  // One-hot of an id (0 for an unknown one).
  function automatic [MemN-1:0] one_hot(input [`LOCI_MEM_ID_W-1:0] id);
    integer k;
    begin
      for (k = 0; k < MemN; k = k + 1) one_hot[k] = (id == k[`LOCI_MEM_ID_W-1:0]);
    end
  endfunction

  always @(posedge clk_i) begin
    if (accept) begin
      op_q   <= mem_op_i;
      sel_q  <= one_hot(mem_id_i);
      addr_q <= mem_addr_i;
    end
    if (zero) data_q <= {DW{1'b0}};
    else begin
      if (accept) data_q <= mem_wdata_i;
      else begin
        if (load_lo) data_q[HW-1:0] <= op_rdata_i[HW-1:0];
        if (load_hi) data_q[DW-1:HW] <= op_rdata_i[DW-1:HW];
      end
    end
  end

endmodule

`default_nettype wire

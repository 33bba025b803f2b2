// SPDX-License-Identifier: Apache-2.0
// The core's host memory port (docs/core-spec.md section 9): one request at a time, one
// response each. It decodes the memory id and address of the link protocol's memory map
// (docs/protocol.md section 6), checks the access (id, address, read-only, busy, value range),
// holds the CONFIG registers, reads the COUNTERS, and sequences the accesses to the core's
// memories, which it may touch only while the core is idle.

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
  // COUNTERS, word k at bits 32k +: 32.
  input  wire [32*`LOCI_COUNTER_WORDS-1:0] counters_i,
  // Memory access for loci_core to route: op_word_o selects the half of a pointer entry
  // (0 = base, 1 = count). op_rdata_i is the word read in the previous clock (a pointer half
  // in its low bits).
  output wire                          op_re_o,
  output wire                          op_we_o,
  output wire [`LOCI_MEM_ID_W-1:0]     op_id_o,
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

  localparam [2:0] HIdle = 3'd0, HDecode = 3'd1, HApply = 3'd2, HMem0 = 3'd3, HMem1 = 3'd4, HMem2 = 3'd5,
                   HResp = 3'd6;

  localparam [31:0] LearnLowPowerUp  = `LOCI_CONFIG_LEARNING_LOW_POWER_UP;
  localparam [31:0] LearnHighPowerUp = `LOCI_CONFIG_LEARNING_HIGH_POWER_UP;

  reg [2:0]                  state_q;
  // The request being served (why: the host may change its inputs once it is taken).
  reg [1:0]                  op_q;
  reg [`LOCI_MEM_ID_W-1:0]   id_q;
  reg [AW-1:0]               addr_q;
  reg [DW-1:0]               wdata_q;
  // The response being built.
  reg [StW-1:0]              status_q;
  reg [DW-1:0]               rdata_q;
  // CONFIG registers.
  reg [NeuronW:0]            num_neurons_q, record_base_q, record_count_q;
  reg [AxonW:0]              num_axons_q;
  reg [LW-1:0]               learning_q;

  assign mem_ready_o    = (state_q == HIdle);
  assign idle_o         = (state_q == HIdle);
  assign mem_rvalid_o   = (state_q == HResp);
  assign mem_status_o   = status_q;
  assign mem_rdata_o    = rdata_q;
  assign num_neurons_o  = num_neurons_q;
  assign num_axons_o    = num_axons_q;
  assign record_base_o  = record_base_q;
  assign record_count_o = record_count_q;
  assign learning_o     = learning_q;

  // ---------------------------------------------------------------- decode
  // Comparisons with constants: a power of two C gives x < C as "no bit at or above log2 C"
  // (no carry chain); others use the comparator.
  `define LOCI_HP_BELOW(x, c) ((((c) & ((c) - 1)) == 0) ? (((x) >> $clog2(c)) == 0) : ((x) < (c)))
  `define LOCI_HP_AT_MOST(x, c) (`LOCI_HP_BELOW(x, c) || ((x) == (c)))

  wire [DW-1:0] wd = wdata_q;
  // The narrowest word's bits, which no width check looks at.
  wire unused_wd_low = ^wd[`LOCI_MEM_FANIN_LIST_BITS-1:0];
  reg known, in_range, fits, writable;
  always @(*) begin
    known = 1'b1; in_range = 1'b0; fits = 1'b0; writable = 1'b0;
    case (id_q)
      `LOCI_MEM_PARAMS: begin
        in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_PARAMS_DEPTH); writable = `LOCI_MEM_PARAMS_WRITABLE;
        fits = wd[DW-1:`LOCI_MEM_PARAMS_BITS] == {(DW - `LOCI_MEM_PARAMS_BITS){1'b0}};
      end
      `LOCI_MEM_SYNAPSES: begin
        in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_SYNAPSES_DEPTH); writable = `LOCI_MEM_SYNAPSES_WRITABLE;
        fits = wd[DW-1:`LOCI_MEM_SYNAPSES_BITS] == {(DW - `LOCI_MEM_SYNAPSES_BITS){1'b0}};
      end
      `LOCI_MEM_FANOUT_PTR: begin
        in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_FANOUT_PTR_DEPTH); writable = `LOCI_MEM_FANOUT_PTR_WRITABLE;
        fits = wd[DW-1:`LOCI_MEM_FANOUT_PTR_BITS] == {(DW - `LOCI_MEM_FANOUT_PTR_BITS){1'b0}};
      end
      `LOCI_MEM_FANIN_PTR: begin
        in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_FANIN_PTR_DEPTH); writable = `LOCI_MEM_FANIN_PTR_WRITABLE;
        fits = wd[DW-1:`LOCI_MEM_FANIN_PTR_BITS] == {(DW - `LOCI_MEM_FANIN_PTR_BITS){1'b0}};
      end
      `LOCI_MEM_FANIN_LIST: begin
        in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_FANIN_LIST_DEPTH); writable = `LOCI_MEM_FANIN_LIST_WRITABLE;
        fits = wd[DW-1:`LOCI_MEM_FANIN_LIST_BITS] == {(DW - `LOCI_MEM_FANIN_LIST_BITS){1'b0}};
      end
      `LOCI_MEM_CONFIG: begin
        in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_CONFIG_DEPTH); writable = `LOCI_MEM_CONFIG_WRITABLE;
        fits = wd[DW-1:`LOCI_MEM_CONFIG_BITS] == {(DW - `LOCI_MEM_CONFIG_BITS){1'b0}};
      end
      `LOCI_MEM_STATE:      in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_STATE_DEPTH);
      `LOCI_MEM_RING:       in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_RING_DEPTH);
      `LOCI_MEM_AXON_TRACE: in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_AXON_TRACE_DEPTH);
      `LOCI_MEM_COUNTERS:   in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_COUNTERS_DEPTH);
      `LOCI_MEM_WEIGHTS:    in_range = `LOCI_HP_BELOW(addr_q, `LOCI_MEM_WEIGHTS_DEPTH);
      default:              known = 1'b0;
    endcase
  end

  wire is_read     = (op_q == `LOCI_MEM_OP_READ);
  wire is_write    = (op_q == `LOCI_MEM_OP_WRITE);
  wire is_config   = (id_q == `LOCI_MEM_CONFIG);
  wire is_counters = (id_q == `LOCI_MEM_COUNTERS);
  wire is_pointer  = (id_q == `LOCI_MEM_FANOUT_PTR) || (id_q == `LOCI_MEM_FANIN_PTR);

  // Value ranges of a write.
  localparam [31:0] NeuronsU  = Neurons;
  localparam [31:0] AxonsU    = Axons;
  localparam [31:0] SynapsesU = Synapses;
  localparam [HW:0] SynapsesH = SynapsesU[HW:0];
  wire [31:0] v32      = wdata_q[31:0];
  wire [HW:0] ptr_base = {1'b0, wdata_q[HW-1:0]};
  wire [HW:0] ptr_end  = ptr_base + {1'b0, wdata_q[2*HW-1:HW]};
  reg         value_ok;
  always @(*) begin
    value_ok = 1'b1;
    if (is_config) begin
      case (addr_q)
        `LOCI_CONFIG_NUM_NEURONS:   value_ok = (v32 != 32'd0) && `LOCI_HP_AT_MOST(v32, NeuronsU);
        `LOCI_CONFIG_NUM_AXONS:     value_ok = `LOCI_HP_AT_MOST(v32, AxonsU);
        `LOCI_CONFIG_RECORD_BASE:   value_ok = `LOCI_HP_AT_MOST(v32, NeuronsU);
        `LOCI_CONFIG_RECORD_COUNT:  value_ok = `LOCI_HP_AT_MOST(v32, NeuronsU);
        `LOCI_CONFIG_LEARNING_HIGH: value_ok = (v32 >> (LW - 32)) == 32'd0;
        default: value_ok = 1'b1;
      endcase
    end else if (is_pointer) begin
      value_ok = `LOCI_HP_BELOW(ptr_base, SynapsesH) && `LOCI_HP_AT_MOST(ptr_end, SynapsesH);
    end else if (id_q == `LOCI_MEM_FANIN_LIST) begin
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

  // Register reads.
  reg [31:0] config_word;
  always @(*) begin
    case (addr_q)
      `LOCI_CONFIG_NUM_NEURONS:   config_word = {{(31 - NeuronW){1'b0}}, num_neurons_q};
      `LOCI_CONFIG_NUM_AXONS:     config_word = {{(31 - AxonW){1'b0}}, num_axons_q};
      `LOCI_CONFIG_RECORD_BASE:   config_word = {{(31 - NeuronW){1'b0}}, record_base_q};
      `LOCI_CONFIG_RECORD_COUNT:  config_word = {{(31 - NeuronW){1'b0}}, record_count_q};
      `LOCI_CONFIG_LEARNING_LOW:  config_word = learning_q[31:0];
      default:                    config_word = {{(64 - LW){1'b0}}, learning_q[LW-1:32]};
    endcase
  end
  wire [31:0] counter_word = counters_i[32 * addr_q[2:0] +: 32];

  // ---------------------------------------------------------------- memory access
  wire mem_access = (state_q == HMem0) || (state_q == HMem1 && is_pointer);
  assign op_re_o    = mem_access && is_read;
  assign op_we_o    = mem_access && is_write;
  assign op_id_o    = id_q;
  assign op_addr_o  = addr_q;
  assign op_word_o  = (state_q == HMem1);
  assign op_wdata_o = (state_q == HMem1) ? {{(DW - HW){1'b0}}, wdata_q[2*HW-1:HW]} : wdata_q;

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
          if (status_q != `LOCI_STATUS_OK || op_q == `LOCI_MEM_OP_CHECK) begin
            state_q <= HResp;
          end else if (is_config || is_counters) begin
            state_q <= HResp;
            if (is_write) begin
              case (addr_q)
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

  always @(posedge clk_i) begin
    if (state_q == HIdle && mem_valid_i) begin
      op_q    <= mem_op_i;
      id_q    <= mem_id_i;
      addr_q  <= mem_addr_i;
      wdata_q <= mem_wdata_i;
    end
    if (state_q == HApply) begin
      rdata_q <= {DW{1'b0}};
      if (is_config) rdata_q <= {{(DW - 32){1'b0}}, config_word};
      if (is_counters) rdata_q <= {{(DW - 32){1'b0}}, counter_word};
    end
    // A read's data: the whole word one clock after HMem0, a pointer's count one clock later.
    if (state_q == HMem1 && is_read) rdata_q <= is_pointer ? {{(DW - HW){1'b0}}, op_rdata_i[HW-1:0]} : op_rdata_i;
    if (state_q == HMem2 && is_read) rdata_q[2*HW-1:HW] <= op_rdata_i[HW-1:0];
  end

endmodule

`default_nettype wire

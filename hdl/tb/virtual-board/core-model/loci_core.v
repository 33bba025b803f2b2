// SPDX-License-Identifier: Apache-2.0
// Testbench stand-in for loci_core (same module name and ports; simulation only, never
// synthesized: the link-model virtual board lists this file instead of the core), with
// loci_core's ports (docs/core-spec.md §9): every memory of docs/protocol.md §6 as a plain
// array, the host port's checks and answer timing (with random extra wait clocks), and an
// "echo" run: each step takes its input events, records a spike for every input axon inside
// the record window (neuron index = axon index), counts, and ends the step with a marker.
// It lets the link be tested end to end apart from the core.

`default_nettype none
`include "loci_spec.vh"
`include "loci_core_map.vh"

module loci_core #(
  parameter integer Neurons  = `LOCI_NEURONS,
  parameter integer Axons    = `LOCI_AXONS,
  parameter integer Synapses = `LOCI_SYNAPSES,
  parameter MemTarget        = "generic",
  parameter integer NeuronW  = $clog2(Neurons),
  parameter integer AxonW    = $clog2(Axons)
) (
  input  wire                          clk_i,
  input  wire                          rst_ni,
  output wire                          ctl_ready_o,
  input  wire                          ctl_run_i,
  input  wire [31:0]                   ctl_steps_i,
  input  wire                          ctl_reset_i,
  input  wire                          ctl_abort_i,
  output wire                          busy_o,
  output reg                           done_o,
  output reg                           step_done_o,
  output wire [31:0]                   step_cycles_o,
  output reg  [31:0]                   step_counter_o,
  output reg  [31:0]                   steps_left_o,
  input  wire                          mem_valid_i,
  output wire                          mem_ready_o,
  input  wire [1:0]                    mem_op_i,
  input  wire [`LOCI_MEM_ID_W-1:0]     mem_id_i,
  input  wire [`LOCI_MEM_ADDR_W-1:0]   mem_addr_i,
  input  wire [`LOCI_MEM_DATA_W-1:0]   mem_wdata_i,
  output reg                           mem_rvalid_o,
  output reg  [`LOCI_MEM_STATUS_W-1:0] mem_status_o,
  output reg  [`LOCI_MEM_DATA_W-1:0]   mem_rdata_o,
  input  wire                          in_valid_i,
  output wire                          in_ready_o,
  input  wire                          in_eos_i,
  input  wire [AxonW-1:0]              in_axon_i,
  output reg                           out_valid_o,
  input  wire                          out_ready_i,
  output reg                           out_eos_o,
  output reg  [NeuronW-1:0]            out_neuron_o
);
  localparam integer N = Neurons;
  localparam integer A = Axons;
  localparam integer S = Synapses;

  reg [31:0] params [0:N-1];
  reg [31:0] synapses [0:S-1];
  reg [31:0] fanout [0:A+N-1];
  reg [31:0] fanin_ptr [0:N-1];
  reg [13:0] fanin_list [0:S-1];
  reg [47:0] state [0:N-1];
  reg [19:0] ring [0:N*16-1];
  reg [7:0] axon_trace [0:A-1];
  reg [31:0] counters [0:7];
  reg [31:0] config_q [0:5];

  integer i;
  initial begin
    for (i = 0; i < N; i = i + 1) begin params[i] = 0; fanin_ptr[i] = 0; state[i] = 0; end
    for (i = 0; i < S; i = i + 1) begin synapses[i] = 0; fanin_list[i] = 0; end
    for (i = 0; i < A + N; i = i + 1) fanout[i] = 0;
    for (i = 0; i < N * 16; i = i + 1) ring[i] = 0;
    for (i = 0; i < A; i = i + 1) axon_trace[i] = 0;
    for (i = 0; i < 8; i = i + 1) counters[i] = 0;
  end

  // Random extra wait clocks on the memory port exercise the link's handshake.
  reg [15:0] lfsr_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) lfsr_q <= 16'hace1;
    else lfsr_q <= {lfsr_q[14:0], lfsr_q[15] ^ lfsr_q[13] ^ lfsr_q[12] ^ lfsr_q[10]};
  end

  // Run state.
  reg running_q, clearing_q, abort_q;
  reg [12:0] clr_q;
  // Memory request in progress: answered when its wait runs out.
  reg mem_busy_q;
  reg [2:0] mem_wait_q;
  reg [1:0] op_q;
  reg [3:0] id_q;
  reg [15:0] addr_q;
  reg [47:0] wdata_q;

  assign busy_o = running_q || clearing_q;
  assign ctl_ready_o = !busy_o && !mem_busy_q && !mem_valid_i;
  assign mem_ready_o = !mem_busy_q;
  assign step_cycles_o = 32'd0;

  // Checks of docs/core-spec.md §9.2, in order.
  reg [16:0] depth;
  reg writable;
  reg [7:0] status;
  always @(*) begin
    writable = id_q <= 4'd5;
    case (id_q)
      4'd0, 4'd3, 4'd6: depth = 17'(N);
      4'd1, 4'd4, 4'd10: depth = 17'(S);
      4'd2: depth = 17'(A + N);
      4'd5: depth = 17'd6;
      4'd7: depth = 17'(N * 16);
      4'd8: depth = 17'(A);
      4'd9: depth = 17'd8;
      default: depth = 17'd0;
    endcase
    status = 8'd0;
    if (id_q > 4'd10) status = `LOCI_STATUS_MEMORY;
    else if ({1'b0, addr_q} >= depth) status = `LOCI_STATUS_ADDRESS;
    else if (op_q != 2'd0 && !writable) status = `LOCI_STATUS_READ_ONLY;
    else if (busy_o && !(op_q == 2'd0 && id_q == 4'd9)) status = `LOCI_STATUS_BUSY;
    else if (op_q != 2'd0) begin
      if (wdata_q[47:32] != 16'd0) status = `LOCI_STATUS_RANGE;
      else case (id_q)
        4'd2, 4'd3: if (wdata_q[15:0] >= 16'(S) || {1'b0, wdata_q[15:0]} + {1'b0, wdata_q[31:16]} > 17'(S)) status = `LOCI_STATUS_RANGE;
        4'd4: if (wdata_q[31:0] >= 32'(S)) status = `LOCI_STATUS_RANGE;
        4'd5: case (addr_q[2:0])
          3'd0: if (wdata_q[31:0] == 32'd0 || wdata_q[31:0] > 32'(N)) status = `LOCI_STATUS_RANGE;
          3'd1: if (wdata_q[31:0] > 32'(A)) status = `LOCI_STATUS_RANGE;
          3'd2, 3'd3: if (wdata_q[31:0] > 32'(N)) status = `LOCI_STATUS_RANGE;
          3'd5: if (wdata_q[31:0] > 32'h1ffff) status = `LOCI_STATUS_RANGE;
          default: ;
        endcase
        default: ;
      endcase
    end
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mem_busy_q <= 1'b0;
      mem_wait_q <= 3'd0;
      mem_rvalid_o <= 1'b0;
      mem_status_o <= 8'd0;
      mem_rdata_o <= 48'd0;
      op_q <= 2'd0;
      id_q <= 4'd0;
      addr_q <= 16'd0;
      wdata_q <= 48'd0;
      config_q[0] <= 32'd1;
      config_q[1] <= 32'd0;
      config_q[2] <= 32'd0;
      config_q[3] <= 32'd0;
      config_q[4] <= 32'd0;
      config_q[5] <= 32'd0;
    end else begin
      mem_rvalid_o <= 1'b0;
      if (!mem_busy_q && mem_valid_i) begin
        mem_busy_q <= 1'b1;
        mem_wait_q <= {1'b0, lfsr_q[1:0]} + 3'd1;
        op_q <= mem_op_i;
        id_q <= mem_id_i;
        addr_q <= mem_addr_i;
        wdata_q <= mem_wdata_i;
      end else if (mem_busy_q && mem_wait_q != 3'd0) begin
        mem_wait_q <= mem_wait_q - 1'b1;
      end else if (mem_busy_q) begin
        mem_busy_q <= 1'b0;
        mem_rvalid_o <= 1'b1;
        mem_status_o <= status;
        mem_rdata_o <= 48'd0;
        if (status == 8'd0 && op_q == 2'd0) begin
          case (id_q)
            4'd0: mem_rdata_o <= {16'd0, params[addr_q[NeuronW-1:0]]};
            4'd1: mem_rdata_o <= {16'd0, synapses[addr_q[13:0]]};
            4'd2: mem_rdata_o <= {16'd0, fanout[addr_q[10:0]]};
            4'd3: mem_rdata_o <= {16'd0, fanin_ptr[addr_q[NeuronW-1:0]]};
            4'd4: mem_rdata_o <= {34'd0, fanin_list[addr_q[13:0]]};
            4'd5: mem_rdata_o <= {16'd0, config_q[addr_q[2:0]]};
            4'd6: mem_rdata_o <= state[addr_q[NeuronW-1:0]];
            4'd7: mem_rdata_o <= {28'd0, ring[addr_q[11:0]]};
            4'd8: mem_rdata_o <= {40'd0, axon_trace[addr_q[9:0]]};
            4'd9: mem_rdata_o <= {16'd0, counters[addr_q[2:0]]};
            default: mem_rdata_o <= {40'd0, synapses[addr_q[13:0]][7:0]};
          endcase
        end
        if (status == 8'd0 && op_q == 2'd1) begin
          case (id_q)
            4'd0: params[addr_q[NeuronW-1:0]] <= wdata_q[31:0];
            4'd1: synapses[addr_q[13:0]] <= wdata_q[31:0];
            4'd2: fanout[addr_q[10:0]] <= wdata_q[31:0];
            4'd3: fanin_ptr[addr_q[NeuronW-1:0]] <= wdata_q[31:0];
            4'd4: fanin_list[addr_q[13:0]] <= wdata_q[13:0];
            default: config_q[addr_q[2:0]] <= wdata_q[31:0];
          endcase
        end
      end
    end
  end

  // The echo run: an event is taken when the spike output is free.
  wire [NeuronW:0] rec_base = config_q[2][NeuronW:0];
  wire [NeuronW:0] rec_count = config_q[3][NeuronW:0];
  wire in_window = ({1'b0, in_axon_i} >= (AxonW + 1)'(rec_base)) &&
                   ({1'b0, in_axon_i} < (AxonW + 1)'(rec_base) + (AxonW + 1)'(rec_count));
  assign in_ready_o = running_q && !out_valid_o && (steps_left_o != 32'd0);

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      running_q <= 1'b0;
      clearing_q <= 1'b1;
      abort_q <= 1'b0;
      clr_q <= 13'd0;
      done_o <= 1'b0;
      step_done_o <= 1'b0;
      step_counter_o <= 32'd0;
      steps_left_o <= 32'd0;
      out_valid_o <= 1'b0;
      out_eos_o <= 1'b0;
      out_neuron_o <= '0;
    end else begin
      done_o <= 1'b0;
      step_done_o <= 1'b0;
      if (out_valid_o && out_ready_i) out_valid_o <= 1'b0;
      if (running_q && ctl_abort_i) abort_q <= 1'b1;
      if (ctl_reset_i && ctl_ready_o) begin
        clearing_q <= 1'b1;
        clr_q <= 13'd0;
        step_counter_o <= 32'd0;
      end else if (clearing_q) begin
        // RESET clears one entry of each cleared memory per clock, like the core.
        if (clr_q < 13'(N)) state[clr_q[NeuronW-1:0]] <= 48'd0;
        ring[clr_q[11:0]] <= 20'd0;
        if (clr_q < 13'(A)) axon_trace[clr_q[9:0]] <= 8'd0;
        if (clr_q < 13'd8) counters[clr_q[2:0]] <= 32'd0;
        clr_q <= clr_q + 1'b1;
        if (clr_q == 13'(N * 16 - 1)) begin
          clearing_q <= 1'b0;
          done_o <= 1'b1;
        end
      end else if (ctl_run_i && ctl_ready_o) begin
        running_q <= ctl_steps_i != 32'd0;
        done_o <= ctl_steps_i == 32'd0;
        steps_left_o <= ctl_steps_i;
        abort_q <= 1'b0;
      end else if (running_q && (steps_left_o == 32'd0) && !out_valid_o) begin
        running_q <= 1'b0;
        done_o <= 1'b1;
      end else if (in_valid_i && in_ready_o) begin
        if (in_eos_i) begin
          out_valid_o <= 1'b1;
          out_eos_o <= 1'b1;
          step_done_o <= 1'b1;
          steps_left_o <= (abort_q || ctl_abort_i) ? 32'd0 : steps_left_o - 1'b1;
          step_counter_o <= step_counter_o + 1'b1;
          counters[0] <= step_counter_o + 1'b1;
        end else begin
          counters[4] <= counters[4] + 1'b1;
          // The state word of neuron `axon` counts its input events (a readback target).
          state[in_axon_i[NeuronW-1:0]] <= state[in_axon_i[NeuronW-1:0]] + 1'b1;
          if (in_window) begin
            out_valid_o <= 1'b1;
            out_eos_o <= 1'b0;
            out_neuron_o <= in_axon_i[NeuronW-1:0];
            counters[6] <= counters[6] + 1'b1;
          end
        end
      end
    end
  end
endmodule

`default_nettype wire

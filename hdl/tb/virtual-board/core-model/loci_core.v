// SPDX-License-Identifier: Apache-2.0
// Testbench stand-in for loci_core behind the link (simulation only, never synthesized): every
// memory of docs/protocol.md §6 as a plain array behind the link's memory port (with random
// grant stalls), and an "echo" run: each step takes its input events, records a spike for
// every input axon inside the record window (neuron index = axon index), counts, and ends the
// step with a marker. It lets the link be tested end to end before and apart from the core.

`default_nettype none
`include "loci_spec.vh"

module loci_core_model #(
  parameter integer NeuronW = $clog2(`LOCI_NEURONS),
  parameter integer AxonW = $clog2(`LOCI_AXONS)
) (
  input  wire               clk_i,
  input  wire               rst_ni,
  input  wire               mem_req_i,
  input  wire               mem_we_i,
  input  wire [3:0]         mem_id_i,
  input  wire [15:0]        mem_addr_i,
  input  wire [47:0]        mem_wdata_i,
  output wire               mem_gnt_o,
  output reg                mem_rvalid_o,
  output reg  [47:0]        mem_rdata_o,
  input  wire [NeuronW:0]   cfg_num_neurons_i,
  input  wire [AxonW:0]     cfg_num_axons_i,
  input  wire [NeuronW:0]   cfg_record_base_i,
  input  wire [NeuronW:0]   cfg_record_count_i,
  input  wire [`LOCI_LEARN_WORD_W-1:0] cfg_learning_i,
  input  wire               run_start_i,
  input  wire [31:0]        run_steps_i,
  input  wire               clear_i,
  output reg                busy_o,
  output reg  [31:0]        step_counter_o,
  input  wire               ev_valid_i,
  input  wire               ev_eos_i,
  input  wire [AxonW-1:0]   ev_axon_i,
  output wire               ev_pop_o,
  output reg                sp_valid_o,
  output reg                sp_eos_o,
  output reg  [NeuronW-1:0] sp_neuron_o,
  input  wire               sp_ready_i
);
  localparam integer N = `LOCI_NEURONS;
  localparam integer A = `LOCI_AXONS;
  localparam integer S = `LOCI_SYNAPSES;

  reg [31:0] params [0:N-1];
  reg [31:0] synapses [0:S-1];
  reg [31:0] fanout [0:A+N-1];
  reg [31:0] fanin_ptr [0:N-1];
  reg [13:0] fanin_list [0:S-1];
  reg [47:0] state [0:N-1];
  reg [19:0] ring [0:N*16-1];
  reg [7:0] axon_trace [0:A-1];
  reg [31:0] counters [0:7];

  // Random grant stalls exercise the link's request handshake.
  reg [15:0] lfsr_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) lfsr_q <= 16'hace1;
    else lfsr_q <= {lfsr_q[14:0], lfsr_q[15] ^ lfsr_q[13] ^ lfsr_q[12] ^ lfsr_q[10]};
  end
  assign mem_gnt_o = mem_req_i && lfsr_q[0];

  integer i;
  initial begin
    for (i = 0; i < N; i = i + 1) begin params[i] = 0; fanin_ptr[i] = 0; state[i] = 0; end
    for (i = 0; i < S; i = i + 1) begin synapses[i] = 0; fanin_list[i] = 0; end
    for (i = 0; i < A + N; i = i + 1) fanout[i] = 0;
    for (i = 0; i < N * 16; i = i + 1) ring[i] = 0;
    for (i = 0; i < A; i = i + 1) axon_trace[i] = 0;
    for (i = 0; i < 8; i = i + 1) counters[i] = 0;
  end

  always @(posedge clk_i) begin
    mem_rvalid_o <= 1'b0;
    if (mem_gnt_o) begin
      if (mem_we_i) begin
        case (mem_id_i)
          4'd0: params[mem_addr_i[NeuronW-1:0]] <= mem_wdata_i[31:0];
          4'd1: synapses[mem_addr_i[13:0]] <= mem_wdata_i[31:0];
          4'd2: fanout[mem_addr_i[10:0]] <= mem_wdata_i[31:0];
          4'd3: fanin_ptr[mem_addr_i[NeuronW-1:0]] <= mem_wdata_i[31:0];
          4'd4: fanin_list[mem_addr_i[13:0]] <= mem_wdata_i[13:0];
          default: ;
        endcase
      end else begin
        mem_rvalid_o <= 1'b1;
        case (mem_id_i)
          4'd0: mem_rdata_o <= {16'd0, params[mem_addr_i[NeuronW-1:0]]};
          4'd1: mem_rdata_o <= {16'd0, synapses[mem_addr_i[13:0]]};
          4'd2: mem_rdata_o <= {16'd0, fanout[mem_addr_i[10:0]]};
          4'd3: mem_rdata_o <= {16'd0, fanin_ptr[mem_addr_i[NeuronW-1:0]]};
          4'd4: mem_rdata_o <= {34'd0, fanin_list[mem_addr_i[13:0]]};
          4'd6: mem_rdata_o <= state[mem_addr_i[NeuronW-1:0]];
          4'd7: mem_rdata_o <= {28'd0, ring[mem_addr_i[11:0]]};
          4'd8: mem_rdata_o <= {40'd0, axon_trace[mem_addr_i[9:0]]};
          4'd9: mem_rdata_o <= {16'd0, counters[mem_addr_i[2:0]]};
          4'd10: mem_rdata_o <= {40'd0, synapses[mem_addr_i[13:0]][7:0]};
          default: mem_rdata_o <= 48'd0;
        endcase
      end
    end
  end

  // The echo run.
  reg [31:0] done_q;
  // RESET clears one entry of each cleared memory per clock, like the core.
  reg clearing_q;
  reg [12:0] clr_q;
  wire in_window = ({1'b0, ev_axon_i} >= {{(AxonW - NeuronW){1'b0}}, cfg_record_base_i}) &&
                   ({1'b0, ev_axon_i} < {{(AxonW - NeuronW){1'b0}}, cfg_record_base_i} + {{(AxonW - NeuronW){1'b0}}, cfg_record_count_i});
  // Take an event when the spike output is free (an axon in the window becomes a spike).
  assign ev_pop_o = busy_o && !clearing_q && ev_valid_i && !sp_valid_o && (done_q < run_steps_i);

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_o <= 1'b0;
      clearing_q <= 1'b0;
      done_q <= 32'd0;
      clr_q <= 13'd0;
      step_counter_o <= 32'd0;
      sp_valid_o <= 1'b0;
      sp_eos_o <= 1'b0;
      sp_neuron_o <= '0;
    end else begin
      if (sp_valid_o && sp_ready_i) sp_valid_o <= 1'b0;
      if (clear_i) begin
        busy_o <= 1'b1;
        clearing_q <= 1'b1;
        clr_q <= 13'd0;
        step_counter_o <= 32'd0;
      end else if (clearing_q) begin
        if (clr_q < 13'(N)) state[clr_q[NeuronW-1:0]] <= 48'd0;
        ring[clr_q[11:0]] <= 20'd0;
        if (clr_q < 13'(A)) axon_trace[clr_q[9:0]] <= 8'd0;
        if (clr_q < 13'd8) counters[clr_q[2:0]] <= 32'd0;
        clr_q <= clr_q + 1'b1;
        if (clr_q == 13'(N * 16 - 1)) begin
          clearing_q <= 1'b0;
          busy_o <= 1'b0;
        end
      end else if (run_start_i) begin
        busy_o <= 1'b1;
        done_q <= 32'd0;
      end else if (busy_o && done_q >= run_steps_i && !sp_valid_o) begin
        busy_o <= 1'b0;
      end else if (ev_pop_o) begin
        if (ev_eos_i) begin
          sp_valid_o <= 1'b1;
          sp_eos_o <= 1'b1;
          done_q <= done_q + 1'b1;
          step_counter_o <= step_counter_o + 1'b1;
          counters[0] <= step_counter_o + 1'b1;
        end else begin
          counters[4] <= counters[4] + 1'b1;
          // The state word of neuron `axon` counts its input events (a readback target).
          state[ev_axon_i[NeuronW-1:0]] <= state[ev_axon_i[NeuronW-1:0]] + 1'b1;
          if (in_window) begin
            sp_valid_o <= 1'b1;
            sp_eos_o <= 1'b0;
            sp_neuron_o <= ev_axon_i[NeuronW-1:0];
            counters[6] <= counters[6] + 1'b1;
          end
        end
      end
    end
  end

  wire unused = &{1'b0, cfg_num_neurons_i, cfg_num_axons_i, cfg_learning_i, 1'b0};
endmodule

`default_nettype wire

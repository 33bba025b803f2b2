// SPDX-License-Identifier: Apache-2.0
// Virtual-board top for testing the link alone (simulation only): the real loci_link, with the
// iCEBreaker top's pins and reset, in front of loci_core_model instead of the core.

`default_nettype none
`include "loci_spec.vh"

module loci_link_model_top #(
  parameter integer ClkHz = 24_000_000,
  parameter integer Baud = 3_000_000,
  parameter integer TimeoutClocks = 262144
) (
  input  wire clk_osc_i,
  input  wire btn_ni,
  input  wire uart_rx_i,
  output wire uart_tx_o,
  output wire led_red_no,
  output wire led_green_no
);
  localparam integer NeuronW = $clog2(`LOCI_NEURONS);
  localparam integer AxonW = $clog2(`LOCI_AXONS);

  wire clk = clk_osc_i;
  reg [4:0] por_q = 5'd0;
  always @(posedge clk) begin
    if (!btn_ni) por_q <= 5'd0;
    else if (!por_q[4]) por_q <= por_q + 1'b1;
  end
  wire rst_n = por_q[4];

  wire mem_req, mem_we, mem_gnt, mem_rvalid;
  wire [3:0] mem_id;
  wire [15:0] mem_addr;
  wire [47:0] mem_wdata, mem_rdata;
  wire [NeuronW:0] cfg_num_neurons, cfg_record_base, cfg_record_count;
  wire [AxonW:0] cfg_num_axons;
  wire [`LOCI_LEARN_WORD_W-1:0] cfg_learning;
  wire run_start, clear, core_busy;
  wire [31:0] run_steps, step_counter;
  wire ev_valid, ev_eos, ev_pop;
  wire [AxonW-1:0] ev_axon;
  wire sp_valid, sp_eos, sp_ready;
  wire [NeuronW-1:0] sp_neuron;
  wire running, nack, link_idle;

  loci_link #(.ClkHz(ClkHz), .Baud(Baud), .VirtualBoard(1), .TimeoutClocks(TimeoutClocks)) u_link (
    .clk_i(clk), .rst_ni(rst_n), .uart_rx_i(uart_rx_i), .uart_tx_o(uart_tx_o),
    .mem_req_o(mem_req), .mem_we_o(mem_we), .mem_id_o(mem_id), .mem_addr_o(mem_addr), .mem_wdata_o(mem_wdata),
    .mem_gnt_i(mem_gnt), .mem_rvalid_i(mem_rvalid), .mem_rdata_i(mem_rdata),
    .cfg_num_neurons_o(cfg_num_neurons), .cfg_num_axons_o(cfg_num_axons), .cfg_record_base_o(cfg_record_base),
    .cfg_record_count_o(cfg_record_count), .cfg_learning_o(cfg_learning),
    .run_start_o(run_start), .run_steps_o(run_steps), .clear_o(clear), .core_busy_i(core_busy),
    .step_counter_i(step_counter),
    .ev_valid_o(ev_valid), .ev_eos_o(ev_eos), .ev_axon_o(ev_axon), .ev_pop_i(ev_pop),
    .sp_valid_i(sp_valid), .sp_eos_i(sp_eos), .sp_neuron_i(sp_neuron), .sp_ready_o(sp_ready),
    .running_o(running), .nack_o(nack), .idle_o(link_idle)
  );

  loci_core_model u_core (
    .clk_i(clk), .rst_ni(rst_n),
    .mem_req_i(mem_req), .mem_we_i(mem_we), .mem_id_i(mem_id), .mem_addr_i(mem_addr), .mem_wdata_i(mem_wdata),
    .mem_gnt_o(mem_gnt), .mem_rvalid_o(mem_rvalid), .mem_rdata_o(mem_rdata),
    .cfg_num_neurons_i(cfg_num_neurons), .cfg_num_axons_i(cfg_num_axons), .cfg_record_base_i(cfg_record_base),
    .cfg_record_count_i(cfg_record_count), .cfg_learning_i(cfg_learning),
    .run_start_i(run_start), .run_steps_i(run_steps), .clear_i(clear), .busy_o(core_busy),
    .step_counter_o(step_counter),
    .ev_valid_i(ev_valid), .ev_eos_i(ev_eos), .ev_axon_i(ev_axon), .ev_pop_o(ev_pop),
    .sp_valid_o(sp_valid), .sp_eos_o(sp_eos), .sp_neuron_o(sp_neuron), .sp_ready_i(sp_ready)
  );

  assign led_red_no = !nack;
  assign led_green_no = !running;

  // For the harness: idle cycles may be skipped (only the link's uptime counter moves).
  wire board_idle = rst_n && link_idle && uart_rx_i;
endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Placement wrapper of loci_core alone (hdl/syn/core/synth.sh): the core's ~120 input bits come
// from a shift register loaded through one pin and its outputs are folded into one registered
// pin, so nextpnr can place and time the core on the iCE40UP5K-SG48 without the link. The
// wrapper adds a shift register and an XOR tree (reported separately); the board top replaces it.

`default_nettype none

`include "loci_spec.vh"
`include "loci_core_map.vh"

module loci_core_fit (
  input  wire clk_i,
  input  wire rst_ni,
  // Serial load of every core input, one bit per clock.
  input  wire sdi_i,
  output wire sdo_o
);

  localparam integer NeuronW = `LOCI_NEURON_INDEX_W;
  localparam integer AxonW   = `LOCI_AXON_INDEX_W;
  localparam integer InBits  = 1 + 32 + 3 + 1 + 2 + `LOCI_MEM_ID_W + `LOCI_MEM_ADDR_W + `LOCI_MEM_DATA_W +
                               2 + AxonW + 1;

  // Every core input, shifted in from sdi_i.
  reg [InBits-1:0] in_q;
  always @(posedge clk_i) in_q <= {in_q[InBits-2:0], sdi_i};

  wire        ctl_ready, busy, done, step_done, mem_ready, mem_rvalid, in_ready, out_valid, out_eos;
  wire [31:0] step_cycles, step_counter, steps_left;
  wire [`LOCI_MEM_STATUS_W-1:0] mem_status;
  wire [`LOCI_MEM_DATA_W-1:0]   mem_rdata;
  wire [NeuronW-1:0]            out_neuron;

  loci_core #(.MemTarget("ice40")) u_core (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .ctl_ready_o   (ctl_ready),
    .ctl_run_i     (in_q[0]),
    .ctl_steps_i   (in_q[32:1]),
    .ctl_reset_i   (in_q[33]),
    .ctl_abort_i   (in_q[34]),
    .busy_o        (busy),
    .done_o        (done),
    .step_done_o   (step_done),
    .step_cycles_o (step_cycles),
    .step_counter_o(step_counter),
    .steps_left_o  (steps_left),
    .mem_valid_i   (in_q[35]),
    .mem_ready_o   (mem_ready),
    .mem_op_i      (in_q[37:36]),
    .mem_id_i      (in_q[38 +: `LOCI_MEM_ID_W]),
    .mem_addr_i    (in_q[38 + `LOCI_MEM_ID_W +: `LOCI_MEM_ADDR_W]),
    .mem_wdata_i   (in_q[38 + `LOCI_MEM_ID_W + `LOCI_MEM_ADDR_W +: `LOCI_MEM_DATA_W]),
    .mem_rvalid_o  (mem_rvalid),
    .mem_status_o  (mem_status),
    .mem_rdata_o   (mem_rdata),
    .in_valid_i    (in_q[InBits-AxonW-3]),
    .in_ready_o    (in_ready),
    .in_eos_i      (in_q[InBits-AxonW-2]),
    .in_axon_i     (in_q[InBits-2 -: AxonW]),
    .out_valid_o   (out_valid),
    .out_ready_i   (in_q[InBits-1]),
    .out_eos_o     (out_eos),
    .out_neuron_o  (out_neuron)
  );

  // Every output bit reaches the pin.
  reg fold_q;
  always @(posedge clk_i) begin
    fold_q <= ^{ctl_ready, busy, done, step_done, mem_ready, mem_rvalid, in_ready, out_valid, out_eos,
                step_cycles, step_counter, steps_left, mem_status, mem_rdata, out_neuron};
  end
  assign sdo_o = fold_q;

endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_core's host memory port and control (docs/core-spec.md section 9): every
// status code (MEMORY, ADDRESS, READ_ONLY, BUSY, RANGE), the check operation writing nothing,
// word layouts read back (pointer halves, weights, ring, state), the response latencies the
// spec states, COUNTERS readable while running, stall counting, a 0-step run, an abort, and
// the reset handshake.

`default_nettype none
`timescale 1ns / 1ps

`include "loci_spec.vh"
`include "loci_core_map.vh"

module loci_core_port_tb;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  always #5 clk = ~clk;

  reg         ctl_run = 1'b0, ctl_reset = 1'b0, ctl_abort = 1'b0;
  reg  [31:0] ctl_steps = 32'd0;
  wire        ctl_ready, busy, done, step_done;
  wire [31:0] step_cycles, step_counter, steps_left;
  reg         mem_valid = 1'b0;
  reg  [1:0]  mem_op = 2'd0;
  reg  [3:0]  mem_id = 4'd0;
  reg  [15:0] mem_addr = 16'd0;
  reg  [47:0] mem_wdata = 48'd0;
  wire        mem_ready, mem_rvalid;
  wire [7:0]  mem_status;
  wire [47:0] mem_rdata;
  reg         in_valid = 1'b0, in_eos = 1'b0;
  reg  [9:0]  in_axon = 10'd0;
  wire        in_ready, out_valid, out_eos;
  wire [7:0]  out_neuron;

  loci_core u_core (
    .clk_i(clk), .rst_ni(rst_n),
    .ctl_ready_o(ctl_ready), .ctl_run_i(ctl_run), .ctl_steps_i(ctl_steps), .ctl_reset_i(ctl_reset), .ctl_abort_i(ctl_abort),
    .busy_o(busy), .done_o(done), .step_done_o(step_done), .step_cycles_o(step_cycles), .step_counter_o(step_counter),
    .steps_left_o(steps_left),
    .mem_valid_i(mem_valid), .mem_ready_o(mem_ready), .mem_op_i(mem_op), .mem_id_i(mem_id), .mem_addr_i(mem_addr),
    .mem_wdata_i(mem_wdata), .mem_rvalid_o(mem_rvalid), .mem_status_o(mem_status), .mem_rdata_o(mem_rdata),
    .in_valid_i(in_valid), .in_ready_o(in_ready), .in_eos_i(in_eos), .in_axon_i(in_axon),
    .out_valid_o(out_valid), .out_ready_i(1'b1), .out_eos_o(out_eos), .out_neuron_o(out_neuron)
  );

  integer checks = 0;
  integer failures = 0;
  task automatic expect_eq(input [8*40-1:0] what, input [63:0] got, input [63:0] want);
    begin
      checks = checks + 1;
      if (got !== want) begin
        failures = failures + 1;
        $display("TB FAIL: %0s: got %0h, want %0h", what, got, want);
      end
    end
  endtask

  // One access; returns status, data and `lat`: rising edges after the accepting one until the
  // response shows (so the response is in clock lat + 1 after acceptance, as section 9 counts).
  reg [7:0]  st;
  reg [47:0] rd;
  integer    lat;
  task automatic access(input [1:0] op, input [3:0] id, input [15:0] addr, input [47:0] wdata);
    begin
      @(negedge clk);
      mem_valid = 1'b1; mem_op = op; mem_id = id; mem_addr = addr; mem_wdata = wdata;
      while (!mem_ready) @(negedge clk);
      @(posedge clk);
      #1 mem_valid = 1'b0;
      lat = 0;
      while (!mem_rvalid) begin
        @(posedge clk);
        #1 lat = lat + 1;
      end
      st = mem_status; rd = mem_rdata;
      @(posedge clk);
      #1;
    end
  endtask

  localparam [1:0] RD = `LOCI_MEM_OP_READ, WR = `LOCI_MEM_OP_WRITE, CK = `LOCI_MEM_OP_CHECK;

  // Offer one end-of-step marker until the core takes it.
  task automatic feed_eos;
    begin
      @(negedge clk);
      in_valid = 1'b1; in_eos = 1'b1;
      // in_ready follows in_valid combinationally: look after it has settled.
      #1;
      while (!in_ready) begin
        @(negedge clk);
        #1;
      end
      @(posedge clk);
      #1 in_valid = 1'b0;
    end
  endtask

  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    // Power-up clear: busy, then one done pulse; memories answer BUSY meanwhile.
    access(RD, `LOCI_MEM_PARAMS, 16'd0, 48'd0);
    expect_eq("params read while clearing", st, `LOCI_STATUS_BUSY);
    access(RD, `LOCI_MEM_COUNTERS, `LOCI_COUNTER_STEPS, 48'd0);
    expect_eq("counters read while clearing", st, `LOCI_STATUS_OK);
    wait (done);
    @(posedge clk);
    #1 expect_eq("idle after the clear", {busy, ctl_ready}, 2'b01);

    // Words written and read back, with the stated latencies (clock of the response).
    access(WR, `LOCI_MEM_PARAMS, 16'd5, 48'h0000_dead_beef);
    expect_eq("params write", st, `LOCI_STATUS_OK);
    access(RD, `LOCI_MEM_PARAMS, 16'd5, 48'd0);
    expect_eq("params read", rd, 48'h0000_dead_beef);
    expect_eq("memory word in the 5th clock", lat + 1, 5);
    access(RD, `LOCI_MEM_CONFIG, `LOCI_CONFIG_NUM_NEURONS, 48'd0);
    expect_eq("config power-up numNeurons", rd, `LOCI_CONFIG_NUM_NEURONS_POWER_UP);
    expect_eq("register in the 3rd clock", lat + 1, 3);
    access(WR, `LOCI_MEM_FANOUT_PTR, 16'd1279, {16'd0, 16'd50, 16'd100});
    expect_eq("pointer write", st, `LOCI_STATUS_OK);
    access(RD, `LOCI_MEM_FANOUT_PTR, 16'd1279, 48'd0);
    expect_eq("pointer read {count, base}", rd, {16'd0, 16'd50, 16'd100});
    expect_eq("pointer in the 6th clock", lat + 1, 6);
    access(WR, `LOCI_MEM_SYNAPSES, 16'd16383, 48'h0000_1234_56f3);
    access(RD, `LOCI_MEM_SYNAPSES, 16'd16383, 48'd0);
    expect_eq("synapse word round trip", rd, 48'h0000_1234_56f3);
    access(RD, `LOCI_MEM_WEIGHTS, 16'd16383, 48'd0);
    expect_eq("weight field of the synapse", rd, 48'h0000_0000_00f3);
    access(WR, `LOCI_MEM_FANIN_LIST, 16'd7, 48'd16383);
    access(RD, `LOCI_MEM_FANIN_LIST, 16'd7, 48'd0);
    expect_eq("fan-in list entry", rd, 48'd16383);
    access(RD, `LOCI_MEM_STATE, 16'd255, 48'd0);
    expect_eq("cleared state", rd, 48'd0);
    access(RD, `LOCI_MEM_RING, 16'd4095, 48'd0);
    expect_eq("cleared ring", rd, 48'd0);
    access(RD, `LOCI_MEM_AXON_TRACE, 16'd1023, 48'd0);
    expect_eq("cleared axon trace", rd, 48'd0);

    // Refusals: each changes nothing.
    access(WR, `LOCI_MEM_FANOUT_PTR, 16'd0, {16'd0, 16'd3, 16'd9});
    access(RD, 4'd11, 16'd0, 48'd0);
    expect_eq("unknown memory id", st, `LOCI_STATUS_MEMORY);
    access(RD, `LOCI_MEM_PARAMS, 16'd256, 48'd0);
    expect_eq("address past the depth", st, `LOCI_STATUS_ADDRESS);
    access(RD, `LOCI_MEM_FANOUT_PTR, 16'd1280, 48'd0);
    expect_eq("address past 1280 pointers", st, `LOCI_STATUS_ADDRESS);
    access(WR, `LOCI_MEM_STATE, 16'd0, 48'd1);
    expect_eq("write to state", st, `LOCI_STATUS_READ_ONLY);
    access(WR, `LOCI_MEM_WEIGHTS, 16'd0, 48'd1);
    expect_eq("write to weights", st, `LOCI_STATUS_READ_ONLY);
    access(WR, `LOCI_MEM_SYNAPSES, 16'd16383, 48'h0001_0000_0000);
    expect_eq("bits above the synapse word", st, `LOCI_STATUS_RANGE);
    access(WR, `LOCI_MEM_FANIN_LIST, 16'd7, 48'd16384);
    expect_eq("fan-in entry past the synapses", st, `LOCI_STATUS_RANGE);
    access(WR, `LOCI_MEM_FANOUT_PTR, 16'd0, {16'd0, 16'd2, 16'd16383});
    expect_eq("pointer past the synapses", st, `LOCI_STATUS_RANGE);
    access(WR, `LOCI_MEM_FANOUT_PTR, 16'd0, {16'd0, 16'd0, 16'd16384});
    expect_eq("pointer base past the synapses", st, `LOCI_STATUS_RANGE);
    access(WR, `LOCI_MEM_CONFIG, `LOCI_CONFIG_NUM_NEURONS, 48'd0);
    expect_eq("numNeurons 0", st, `LOCI_STATUS_RANGE);
    access(WR, `LOCI_MEM_CONFIG, `LOCI_CONFIG_NUM_NEURONS, 48'd257);
    expect_eq("numNeurons 257", st, `LOCI_STATUS_RANGE);
    access(WR, `LOCI_MEM_CONFIG, `LOCI_CONFIG_NUM_AXONS, 48'd1025);
    expect_eq("numAxons 1025", st, `LOCI_STATUS_RANGE);
    access(WR, `LOCI_MEM_CONFIG, `LOCI_CONFIG_LEARNING_HIGH, 48'h2_0000);
    expect_eq("learning bit 49", st, `LOCI_STATUS_RANGE);
    access(RD, `LOCI_MEM_SYNAPSES, 16'd16383, 48'd0);
    expect_eq("refused write changed nothing", rd, 48'h0000_1234_56f3);
    access(RD, `LOCI_MEM_FANOUT_PTR, 16'd0, 48'd0);
    expect_eq("refused pointer changed nothing", rd, {16'd0, 16'd3, 16'd9});

    // Check: every status of a write, nothing written.
    access(CK, `LOCI_MEM_PARAMS, 16'd5, 48'h0000_0000_0001);
    expect_eq("check of a good write", st, `LOCI_STATUS_OK);
    access(CK, `LOCI_MEM_STATE, 16'd5, 48'd0);
    expect_eq("check of a read-only write", st, `LOCI_STATUS_READ_ONLY);
    access(RD, `LOCI_MEM_PARAMS, 16'd5, 48'd0);
    expect_eq("check wrote nothing", rd, 48'h0000_dead_beef);

    // A run that waits for input: BUSY for memories, COUNTERS readable, then one step. Two
    // neurons with real parameters (threshold 100, no decay), no synapses.
    access(WR, `LOCI_MEM_PARAMS, 16'd0, 48'h0000_00ff_0064);
    access(WR, `LOCI_MEM_PARAMS, 16'd1, 48'h0000_00ff_0064);
    access(WR, `LOCI_MEM_CONFIG, `LOCI_CONFIG_NUM_NEURONS, 48'd2);
    expect_eq("numNeurons 2", st, `LOCI_STATUS_OK);
    access(WR, `LOCI_MEM_CONFIG, `LOCI_CONFIG_NUM_AXONS, 48'd0);
    @(negedge clk);
    ctl_steps = 32'd1; ctl_run = 1'b1;
    @(posedge clk);
    #1 ctl_run = 1'b0;
    expect_eq("busy after run", busy, 1'b1);
    access(RD, `LOCI_MEM_PARAMS, 16'd5, 48'd0);
    expect_eq("params read while running", st, `LOCI_STATUS_BUSY);
    access(WR, `LOCI_MEM_CONFIG, `LOCI_CONFIG_NUM_AXONS, 48'd1);
    expect_eq("config write while running", st, `LOCI_STATUS_BUSY);
    access(RD, `LOCI_MEM_COUNTERS, `LOCI_COUNTER_STEPS, 48'd0);
    expect_eq("counters while running", {st, rd}, {8'd0, 48'd0});
    repeat (400) @(posedge clk);
    expect_eq("still waiting for the end-of-step marker", {busy, step_counter}, {1'b1, 32'd0});
    feed_eos();
    wait (done);
    @(posedge clk);
    #1 expect_eq("one step done", step_counter, 32'd1);
    // 2 neurons, no input, no spikes: STEP + NEURON_PHASE + 2 + DELIVERY_PHASE.
    access(RD, `LOCI_MEM_COUNTERS, `LOCI_COUNTER_LAST_STEP_CYCLES, 48'd0);
    expect_eq("cycles of the step", rd, `LOCI_CYC_STEP + `LOCI_CYC_NEURON_PHASE + 2 + `LOCI_CYC_DELIVERY_PHASE);
    access(RD, `LOCI_MEM_COUNTERS, `LOCI_COUNTER_STALL_CYCLES, 48'd0);
    checks = checks + 1;
    if (rd < 48'd300) begin
      failures = failures + 1;
      $display("TB FAIL: stall cycles %0d, expected >= 300 while waiting for input", rd);
    end

    // A run of 0 steps only pulses done; an abort ends a run after the step in progress.
    @(negedge clk);
    ctl_steps = 32'd0; ctl_run = 1'b1;
    @(posedge clk);
    #1 ctl_run = 1'b0;
    expect_eq("0-step run: done at once, not busy", {done, busy}, 2'b10);
    @(negedge clk);
    ctl_steps = 32'd5; ctl_run = 1'b1;
    @(posedge clk);
    #1 ctl_run = 1'b0;
    expect_eq("steps left at start", steps_left, 32'd5);
    feed_eos();
    wait (step_counter == 32'd2);
    @(negedge clk);
    ctl_abort = 1'b1;
    @(negedge clk);
    ctl_abort = 1'b0;
    feed_eos();
    wait (done);
    @(posedge clk);
    #1 expect_eq("aborted after the step in progress", {busy, step_counter}, {1'b0, 32'd3});

    // Reset: taken when ready, clears the step counter, memories keep their words.
    @(negedge clk);
    ctl_reset = 1'b1;
    @(posedge clk);
    #1 ctl_reset = 1'b0;
    wait (done);
    @(posedge clk);
    #1 expect_eq("step counter after reset", step_counter, 32'd0);
    access(RD, `LOCI_MEM_PARAMS, 16'd5, 48'd0);
    expect_eq("params survive reset", rd, 48'h0000_dead_beef);

    if (failures == 0) $display("TB PASS loci_core_port_tb checks=%0d", checks);
    else $display("TB FAIL loci_core_port_tb failures=%0d checks=%0d", failures, checks);
    $finish;
  end

  initial begin
    #5_000_000;
    $display("TB FAIL loci_core_port_tb: timeout");
    $finish;
  end
endmodule

`default_nettype wire

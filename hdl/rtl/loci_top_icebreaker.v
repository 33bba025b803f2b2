// SPDX-License-Identifier: Apache-2.0
// Top of the iCEBreaker (iCE40UP5K-SG48) build: 12 MHz oscillator -> PLL -> core clock, the
// link on the FT2232H's second channel (UART), the core, and the two user LEDs. Also the top
// the virtual board Verilates (with a pass-through stand-in for the PLL).

`default_nettype none
`include "loci_spec.vh"
`include "loci_core_map.vh"

module loci_top_icebreaker #(
  // Core clock from the PLL, Hz (loci_pll_ice40 lists the supported ones).
  parameter integer ClkHz = 24_000_000,
  // Line rate, baud (8 clocks per bit at 24 MHz; the FT2232H makes 3 Mbaud exactly).
  parameter integer Baud = 3_000_000,
  // HELLO.flags bit 0: set by the virtual-board build.
  parameter integer VirtualBoard = 0,
  // HELLO.buildId (e.g. a git hash prefix).
  parameter [31:0] BuildId = 32'd0,
  // Inter-byte timeout of the link, clocks.
  parameter integer TimeoutClocks = 262144
) (
  // 12 MHz oscillator (pin 35; on the virtual board: the core clock itself).
  input  wire clk_osc_i,
  // User button, active low: resets the link and the core.
  input  wire btn_ni,
  // FT2232H channel B: its TXD drives uart_rx_i (pin 6), uart_tx_o drives its RXD (pin 9).
  input  wire uart_rx_i,
  output wire uart_tx_o,
  // Red: lit ~90 ms after each NACK. Green: lit while a run is going (at least ~90 ms).
  output wire led_red_no,
  output wire led_green_no
);
  localparam integer NeuronW = $clog2(`LOCI_NEURONS);
  localparam integer AxonW = $clog2(`LOCI_AXONS);

  wire clk, rst_n;
  loci_pll_ice40 #(.ClkHz(ClkHz)) u_pll (
    .clk_pad_i (clk_osc_i),
    .rst_req_ni(btn_ni),
    .clk_o     (clk),
    .rst_no    (rst_n)
  );

  wire ctl_ready, ctl_run, ctl_reset, ctl_abort, busy;
  wire done_unused, step_done_unused;
  wire [31:0] ctl_steps, step_cycles_unused, step_counter_unused, steps_left_unused;
  wire mem_valid, mem_ready, mem_rvalid;
  wire [1:0] mem_op;
  wire [`LOCI_MEM_ID_W-1:0] mem_id;
  wire [`LOCI_MEM_ADDR_W-1:0] mem_addr;
  wire [`LOCI_MEM_DATA_W-1:0] mem_wdata, mem_rdata;
  wire [`LOCI_MEM_STATUS_W-1:0] mem_status;
  wire in_valid, in_ready, in_eos;
  wire [AxonW-1:0] in_axon;
  wire out_valid, out_ready, out_eos;
  wire [NeuronW-1:0] out_neuron;
  wire running, nack, link_idle;

  loci_link #(
    .ClkHz        (ClkHz),
    .Baud         (Baud),
    .VirtualBoard (VirtualBoard),
    .BuildId      (BuildId),
    .TimeoutClocks(TimeoutClocks)
  ) u_link (
    .clk_i         (clk),
    .rst_ni        (rst_n),
    .uart_rx_i     (uart_rx_i),
    .uart_tx_o     (uart_tx_o),
    .ctl_ready_i   (ctl_ready),
    .ctl_run_o     (ctl_run),
    .ctl_steps_o   (ctl_steps),
    .ctl_reset_o   (ctl_reset),
    .ctl_abort_o   (ctl_abort),
    .busy_i        (busy),
    .mem_valid_o   (mem_valid),
    .mem_ready_i   (mem_ready),
    .mem_op_o      (mem_op),
    .mem_id_o      (mem_id),
    .mem_addr_o    (mem_addr),
    .mem_wdata_o   (mem_wdata),
    .mem_rvalid_i  (mem_rvalid),
    .mem_status_i  (mem_status),
    .mem_rdata_i   (mem_rdata),
    .in_valid_o    (in_valid),
    .in_ready_i    (in_ready),
    .in_eos_o      (in_eos),
    .in_axon_o     (in_axon),
    .out_valid_i   (out_valid),
    .out_ready_o   (out_ready),
    .out_eos_i     (out_eos),
    .out_neuron_i  (out_neuron),
    .running_o     (running),
    .nack_o        (nack),
    .idle_o        (link_idle)
  );

  loci_core #(
    .MemTarget("ice40")
  ) u_core (
    .clk_i         (clk),
    .rst_ni        (rst_n),
    .ctl_ready_o   (ctl_ready),
    .ctl_run_i     (ctl_run),
    .ctl_steps_i   (ctl_steps),
    .ctl_reset_i   (ctl_reset),
    .ctl_abort_i   (ctl_abort),
    .busy_o        (busy),
    .done_o        (done_unused),
    .step_done_o   (step_done_unused),
    .step_cycles_o (step_cycles_unused),
    .step_counter_o(step_counter_unused),
    .steps_left_o  (steps_left_unused),
    .mem_valid_i   (mem_valid),
    .mem_ready_o   (mem_ready),
    .mem_op_i      (mem_op),
    .mem_id_i      (mem_id),
    .mem_addr_i    (mem_addr),
    .mem_wdata_i   (mem_wdata),
    .mem_rvalid_o  (mem_rvalid),
    .mem_status_o  (mem_status),
    .mem_rdata_o   (mem_rdata),
    .in_valid_i    (in_valid),
    .in_ready_o    (in_ready),
    .in_eos_i      (in_eos),
    .in_axon_i     (in_axon),
    .out_valid_o   (out_valid),
    .out_ready_i   (out_ready),
    .out_eos_o     (out_eos),
    .out_neuron_o  (out_neuron)
  );

  // LEDs: a short event stays visible for 2^21 clocks (87 ms at 24 MHz).
  reg [20:0] red_q, green_q;
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      red_q   <= 21'd0;
      green_q <= 21'd0;
    end else begin
      if (nack) red_q <= {21{1'b1}};
      else if (red_q != 21'd0) red_q <= red_q - 1'b1;
      if (running) green_q <= {21{1'b1}};
      else if (green_q != 21'd0) green_q <= green_q - 1'b1;
    end
  end
  assign led_red_no   = (red_q == 21'd0);
  assign led_green_no = (green_q == 21'd0);

  // For the virtual board: nothing but the uptime counter (and these LED timers) changes
  // while this is high, so the harness may skip such clocks (docs/board.md).
  wire board_idle = rst_n && link_idle && uart_rx_i;

endmodule

`default_nettype wire

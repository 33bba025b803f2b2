// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_counter: the "ice40" counter (an SB_MAC16, simulated with yosys's iCE40 cell
// library) equals the "generic" one clock by clock under random increments, clears and an
// asynchronous reset, across several carries from the lower 16 bits into the upper 16.

`default_nettype none
`timescale 1ns / 1ps
// yosys's iCE40 cell library (listed after this file) without the port default values that
// Icarus Verilog does not read.
`define NO_ICE40_DEFAULT_ASSIGNMENTS

module loci_counter_tb;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  reg clear = 1'b0, inc = 1'b0;
  wire [31:0] generic_count, dsp_count;

  loci_counter #(.Target("generic")) u_generic (
    .clk_i(clk), .rst_ni(rst_n), .clear_i(clear), .inc_i(inc), .count_o(generic_count)
  );
  loci_counter #(.Target("ice40")) u_dsp (
    .clk_i(clk), .rst_ni(rst_n), .clear_i(clear), .inc_i(inc), .count_o(dsp_count)
  );

  integer checks = 0;
  integer failures = 0;
  integer n;
  reg [31:0] rnd;
  initial begin
    rnd = 32'h1234_5678;
    #3 rst_n = 1'b1;
    for (n = 0; n < 300000; n = n + 1) begin
      rnd = rnd ^ (rnd << 13); rnd = rnd ^ (rnd >> 17); rnd = rnd ^ (rnd << 5);
      // Mostly increments (to carry into the upper half several times), some clears, a reset.
      inc = (rnd[3:0] != 4'd0);
      clear = (n == 1000 || n == 70000);
      if (n == 150000) rst_n = 1'b0;
      if (n == 150002) rst_n = 1'b1;
      #5 clk = 1'b1;
      #5 clk = 1'b0;
      checks = checks + 1;
      if (dsp_count !== generic_count) begin
        failures = failures + 1;
        if (failures < 10) $display("TB FAIL: loci_counter clock %0d: ice40 %0d, generic %0d", n, dsp_count, generic_count);
      end
    end
    if (generic_count < 32'd65536 * 2) begin
      failures = failures + 1;
      $display("TB FAIL: loci_counter did not carry into the upper half twice (%0d)", generic_count);
    end
    if (failures == 0) $display("TB PASS loci_counter_tb checks=%0d final=%0d", checks, generic_count);
    else $display("TB FAIL loci_counter_tb failures=%0d checks=%0d", failures, checks);
    $finish;
  end
endmodule

`default_nettype wire

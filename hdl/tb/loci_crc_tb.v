// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_crc: the catalogue check value ("123456789") of five standard CRCs, then
// random byte streams with random gaps and clears against a bit-serial textbook model that
// reflects bytes and result explicitly (a different algorithm from the RTL's).

`default_nettype none
`timescale 1ns / 1ps

module loci_crc_tb;
  reg clk = 1'b0;
  reg rst_n = 1'b0;
  reg clear = 1'b0;
  reg [7:0] data = 8'd0;
  reg valid = 1'b0;
  always #5 clk = ~clk;

  // Configurations: {width, poly, init, reflected, xorout, check value}.
  localparam integer NCFG = 5;
  // CRC-16/CCITT-FALSE, CRC-16/KERMIT, CRC-16/MODBUS, CRC-32 (ISO-HDLC), CRC-8 (SMBus).
  localparam [32*NCFG-1:0] WIDTHS  = {32'd8, 32'd32, 32'd16, 32'd16, 32'd16};
  localparam [32*NCFG-1:0] POLYS   = {32'h07, 32'h04c11db7, 32'h8005, 32'h1021, 32'h1021};
  localparam [32*NCFG-1:0] INITS   = {32'h00, 32'hffffffff, 32'hffff, 32'h0000, 32'hffff};
  localparam [32*NCFG-1:0] REFLS   = {32'd0, 32'd1, 32'd1, 32'd1, 32'd0};
  localparam [32*NCFG-1:0] XOROUTS = {32'h00, 32'hffffffff, 32'h0000, 32'h0000, 32'h0000};
  localparam [32*NCFG-1:0] CHECKS  = {32'hf4, 32'hcbf43926, 32'h4b37, 32'h2189, 32'h29b1};

  wire [31:0] crc [0:NCFG-1];
  wire [31:0] crc_next [0:NCFG-1];

  genvar g;
  generate
    for (g = 0; g < NCFG; g = g + 1) begin : g_dut
      localparam integer W = WIDTHS[32*g +: 32];
      wire [W-1:0] crc_w, crc_next_w;
      loci_crc #(
        .Width(W),
        .Poly(POLYS[32*g +: W]),
        .Init(INITS[32*g +: W]),
        .Reflected(REFLS[32*g +: 32]),
        .XorOut(XOROUTS[32*g +: W])
      ) u_crc (
        .clk_i(clk), .rst_ni(rst_n), .clear_i(clear), .data_i(data), .valid_i(valid), .crc_o(crc_w), .crc_next_o(crc_next_w)
      );
      assign crc[g] = {{(32 - W){1'b0}}, crc_w};
      assign crc_next[g] = {{(32 - W){1'b0}}, crc_next_w};
    end
  endgenerate

  function automatic [31:0] reflect(input [31:0] x, input integer w);
    integer i;
    begin
      reflect = 32'd0;
      for (i = 0; i < w; i = i + 1) reflect[i] = x[w-1-i];
    end
  endfunction

  // Textbook reference: MSB-first register of width w; a reflected CRC reflects each input
  // byte on the way in and the register on the way out.
  reg [31:0] model [0:NCFG-1];
  task automatic model_byte(input integer c, input [7:0] b_in);
    integer i, w;
    reg [31:0] r, mask, top;
    reg [7:0] b;
    begin
      w = WIDTHS[32*c +: 32];
      mask = (w == 32) ? 32'hffffffff : ((32'd1 << w) - 1);
      top = 32'd1 << (w - 1);
      b = REFLS[32*c +: 32] ? reflect({24'd0, b_in}, 8) : b_in;
      r = model[c];
      for (i = 7; i >= 0; i = i - 1) begin
        if (((r & top) != 0) ^ b[i]) r = ((r << 1) ^ POLYS[32*c +: 32]) & mask;
        else r = (r << 1) & mask;
      end
      model[c] = r;
    end
  endtask
  function automatic [31:0] model_result(input integer c);
    integer w;
    begin
      w = WIDTHS[32*c +: 32];
      model_result = (REFLS[32*c +: 32] ? reflect(model[c], w) : model[c]) ^ XOROUTS[32*c +: 32];
    end
  endfunction
  task automatic model_clear;
    integer c;
    begin
      for (c = 0; c < NCFG; c = c + 1) model[c] = INITS[32*c +: 32];
    end
  endtask

  integer checks = 0;
  integer failures = 0;
  task automatic compare(input [8*24-1:0] what);
    integer c;
    begin
      for (c = 0; c < NCFG; c = c + 1) begin
        checks = checks + 1;
        if (crc[c] !== model_result(c)) begin
          $display("TB FAIL: %0s config %0d rtl %08x model %08x", what, c, crc[c], model_result(c));
          failures = failures + 1;
        end
      end
    end
  endtask

  // crc_next_o must predict crc_o after the byte is taken.
  reg [31:0] predicted [0:NCFG-1];
  task automatic feed(input [7:0] b);
    integer c;
    begin
      data <= b;
      valid <= 1'b1;
      #1;
      for (c = 0; c < NCFG; c = c + 1) predicted[c] = crc_next[c];
      @(posedge clk);
      valid <= 1'b0;
      for (c = 0; c < NCFG; c = c + 1) model_byte(c, b);
      #1;
      for (c = 0; c < NCFG; c = c + 1) begin
        checks = checks + 1;
        if (crc[c] !== predicted[c]) begin
          $display("TB FAIL: config %0d crc_next_o %08x but crc_o became %08x", c, predicted[c], crc[c]);
          failures = failures + 1;
        end
      end
    end
  endtask

  reg [8*9-1:0] digits = "123456789";
  integer k, n, c, seed;
  initial begin
    seed = 3;
    model_clear();
    repeat (2) @(posedge clk);
    rst_n = 1'b1;
    @(posedge clk);
    compare("after reset");
    for (k = 8; k >= 0; k = k - 1) feed(digits[8*k +: 8]);
    #1;
    compare("check string");
    for (c = 0; c < NCFG; c = c + 1) begin
      checks = checks + 1;
      if (crc[c] !== CHECKS[32*c +: 32]) begin
        $display("TB FAIL: config %0d check value %08x, catalogue says %08x", c, crc[c], CHECKS[32*c +: 32]);
        failures = failures + 1;
      end
    end
    // Random streams of 0..300 bytes with idle cycles between bytes; a clear between streams.
    for (n = 0; n < 60; n = n + 1) begin
      @(posedge clk);
      clear <= 1'b1;
      // clear wins over valid in the same cycle
      valid <= 1'b1;
      data <= $urandom(seed);
      @(posedge clk);
      clear <= 1'b0;
      valid <= 1'b0;
      model_clear();
      #1;
      compare("after clear");
      for (k = $urandom(seed) % 301; k > 0; k = k - 1) begin
        feed($urandom(seed));
        if ($urandom(seed) % 4 == 0) @(posedge clk);
      end
      #1;
      compare("random stream");
    end
    if (failures == 0) $display("TB PASS loci_crc checks=%0d", checks);
    else $display("TB FAIL loci_crc failures=%0d", failures);
    $finish;
  end
endmodule

`default_nettype wire

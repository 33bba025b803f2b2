// SPDX-License-Identifier: Apache-2.0
// Byte-wide CRC (one byte per clock), parameterised in the Rocksoft/"CRC catalogue" model:
// Width, Poly, Init, Reflected (RefIn = RefOut) and XorOut. The link's CRC is the one
// docs/protocol.md fixes; loci_link sets these parameters.

`default_nettype none

module loci_crc #(
  parameter integer Width = 16,
  // Generator polynomial without its top bit, in normal (MSB-first) notation.
  parameter [Width-1:0] Poly = 16'h1021,
  // Register value before the first byte (in normal notation).
  parameter [Width-1:0] Init = {Width{1'b1}},
  // 1: bytes enter LSB first and the result is bit-reversed (RefIn = RefOut = true).
  parameter integer Reflected = 0,
  // XORed into the register to form the result.
  parameter [Width-1:0] XorOut = {Width{1'b0}}
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  // Start a new CRC; has priority over valid_i in the same cycle.
  input  wire             clear_i,
  input  wire [7:0]       data_i,
  input  wire             valid_i,
  // CRC of every byte taken since the last clear (XorOut applied).
  output wire [Width-1:0] crc_o,
  // What crc_o becomes if data_i is taken this clock (lets a receiver check a frame's CRC
  // in the clock its last byte arrives).
  output wire [Width-1:0] crc_next_o
);

  initial begin
    if (Width < 8 || Width > 32) begin
      $error("loci_crc: Width = %0d, supported 8..32", Width);
      $finish;
    end
  end

  function automatic [Width-1:0] reverse(input [Width-1:0] x);
    integer i;
    begin
      for (i = 0; i < Width; i = i + 1) reverse[i] = x[Width-1-i];
    end
  endfunction

  // A reflected CRC runs the mirror-image shift register: shift right, reversed polynomial.
  // Its register then already holds the reflected result, so no output reversal is needed.
  localparam [Width-1:0] POLY_REG = (Reflected != 0) ? reverse(Poly) : Poly;
  localparam [Width-1:0] INIT_REG = (Reflected != 0) ? reverse(Init) : Init;

  function automatic [Width-1:0] next_crc(input [Width-1:0] c_in, input [7:0] d);
    integer i;
    reg [Width-1:0] c;
    reg fb;
    begin
      c = c_in;
      for (i = 0; i < 8; i = i + 1) begin
        if (Reflected != 0) begin
          fb = c[0] ^ d[i];
          c  = (c >> 1) ^ (fb ? POLY_REG : {Width{1'b0}});
        end else begin
          fb = c[Width-1] ^ d[7-i];
          c  = (c << 1) ^ (fb ? POLY_REG : {Width{1'b0}});
        end
      end
      next_crc = c;
    end
  endfunction

  // The running CRC register (reflected for a reflected CRC, see above).
  reg [Width-1:0] crc_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)      crc_q <= INIT_REG;
    else if (clear_i) crc_q <= INIT_REG;
    else if (valid_i) crc_q <= next_crc(crc_q, data_i);
  end

  assign crc_o      = crc_q ^ XorOut;
  assign crc_next_o = next_crc(crc_q, data_i) ^ XorOut;

endmodule

`default_nettype wire

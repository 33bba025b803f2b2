// SPDX-License-Identifier: Apache-2.0
// Blackbox port list of the iCE40UP5K single-port RAM (16 K x 16), for linting the core's
// "ice40" memory mapping; synthesis uses yosys's own cell library. Lint-only.

`default_nettype none

module SB_SPRAM256KA (
  input  wire [13:0] ADDRESS,
  input  wire [15:0] DATAIN,
  input  wire [3:0]  MASKWREN,
  input  wire        WREN,
  input  wire        CHIPSELECT,
  input  wire        CLOCK,
  input  wire        STANDBY,
  input  wire        SLEEP,
  input  wire        POWEROFF,
  output wire [15:0] DATAOUT
);
  // A blackbox with the primitive's registered output; every input reaches it so that none is
  // unused (the contents are not modelled).
  reg [15:0] dataout_q;
  always @(posedge CLOCK) begin
    dataout_q <= DATAIN ^ {2'b00, ADDRESS} ^ {12'h000, MASKWREN} ^
                 {15'h0000, WREN ^ CHIPSELECT ^ STANDBY ^ SLEEP ^ POWEROFF};
  end
  assign DATAOUT = dataout_q;
endmodule

`default_nettype wire

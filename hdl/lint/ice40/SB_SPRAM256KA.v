// SPDX-License-Identifier: Apache-2.0
// Simulation model of the iCE40UP5K single-port RAM (16 K x 16) for the virtual board, after
// the primitive's behaviour (yosys ice40/cells_sim.v): registered read, nibble write masks,
// output cleared while asleep or powered off. Where the real output is undefined (after a write,
// in standby) this model shows 16'hdead, so a design that uses it there is caught.

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
  output reg  [15:0] DATAOUT
);
  reg [15:0] mem [0:16383];
  // POWEROFF is active low: 1 keeps the RAM powered.
  wire off = SLEEP || !POWEROFF;

  always @(posedge CLOCK) begin
    if (off) begin
      DATAOUT <= 16'd0;
    end else if (STANDBY) begin
      DATAOUT <= 16'hdead;
    end else if (CHIPSELECT) begin
      if (!WREN) begin
        DATAOUT <= mem[ADDRESS];
      end else begin
        if (MASKWREN[0]) mem[ADDRESS][3:0] <= DATAIN[3:0];
        if (MASKWREN[1]) mem[ADDRESS][7:4] <= DATAIN[7:4];
        if (MASKWREN[2]) mem[ADDRESS][11:8] <= DATAIN[11:8];
        if (MASKWREN[3]) mem[ADDRESS][15:12] <= DATAIN[15:12];
        DATAOUT <= 16'hdead;
      end
    end
  end
endmodule

`default_nettype wire

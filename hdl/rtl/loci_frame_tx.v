// SPDX-License-Identifier: Apache-2.0
// Link frame transmitter (docs/protocol.md §2) with its payload buffer: the engine writes an
// answer's payload into the buffer, then starts a frame; the transmitter sends
// SYNC0 SYNC1 TYPE SEQ LEN(LE) PAYLOAD CRC(BE) to the UART, computing CRC-16/CCITT-FALSE over
// TYPE .. PAYLOAD on the way. The buffer (one EBR, 512 x 8) holds the payload slot (bytes
// 0..255) and a constant record (bytes 256..319, `Rom`: the HELLO capabilities), which a frame
// can send instead of the slot.

`default_nettype none

module loci_frame_tx #(
  // The constant record: byte i at bits 8i+7..8i.
  parameter [511:0] Rom = 512'd0
) (
  input  wire       clk_i,
  input  wire       rst_ni,
  // Payload slot writes (only while busy_o is low: the slot is read while a frame goes out).
  input  wire       wr_i,
  input  wire [7:0] wr_addr_i,
  input  wire [7:0] wr_data_i,
  // Start a frame (ignored while busy_o): TYPE = 0x80 | type_i, SEQ, LEN, and the payload from
  // the constant record (rom_i) or the slot.
  input  wire       start_i,
  input  wire [1:0] type_i,
  input  wire [7:0] seq_i,
  input  wire [8:0] len_i,
  input  wire       rom_i,
  // High from start_i until the frame's last byte has been handed to the UART.
  output wire       busy_o,
  // Bytes to the UART transmitter (valid/ready).
  output reg  [7:0] tx_data_o,
  output wire       tx_valid_o,
  input  wire       tx_ready_i
);

  localparam [3:0] S_IDLE  = 4'd0;
  localparam [3:0] S_SYNC0 = 4'd1;
  localparam [3:0] S_SYNC1 = 4'd2;
  localparam [3:0] S_TYPE  = 4'd3;
  localparam [3:0] S_SEQ   = 4'd4;
  localparam [3:0] S_LEN0  = 4'd5;
  localparam [3:0] S_LEN1  = 4'd6;
  localparam [3:0] S_BODY  = 4'd7;
  localparam [3:0] S_CRC0  = 4'd8;
  localparam [3:0] S_CRC1  = 4'd9;

  // Which byte of the frame goes out next.
  reg [3:0] state_q;
  // The frame's header fields, held for the whole frame.
  reg [1:0] type_q;
  reg [7:0] seq_q;
  reg [8:0] len_q;
  reg rom_q;
  // Payload bytes already sent (the buffer reads the next one continuously: the UART takes a
  // byte at most every 10 bit times, so the read is always ready).
  reg [8:0] sent_q;

  (* no_rw_check *) reg [7:0] mem [0:511];
  reg [7:0] rd_q;
  integer i;
  initial begin
    for (i = 0; i < 64; i = i + 1) mem[256 + i] = Rom[8*i +: 8];
  end
  always @(posedge clk_i) begin
    if (wr_i) mem[{1'b0, wr_addr_i}] <= wr_data_i;
    rd_q <= mem[{rom_q, sent_q[7:0]}];
  end

  wire take = tx_valid_o && tx_ready_i;

  wire [15:0] crc, crc_next_unused;
  loci_crc #(
    .Width(16), .Poly(16'h1021), .Init(16'hffff), .Reflected(0), .XorOut(16'h0000)
  ) u_crc (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(state_q == S_IDLE), .data_i(tx_data_o),
    .valid_i(take && state_q >= S_TYPE && state_q <= S_BODY), .crc_o(crc),
    .crc_next_o(crc_next_unused)
  );

  always @(*) begin
    case (state_q)
      S_SYNC0: tx_data_o = 8'ha5;
      S_SYNC1: tx_data_o = 8'h5a;
      S_TYPE:  tx_data_o = {6'b100000, type_q};
      S_SEQ:   tx_data_o = seq_q;
      S_LEN0:  tx_data_o = len_q[7:0];
      S_LEN1:  tx_data_o = {7'd0, len_q[8]};
      S_BODY:  tx_data_o = rd_q;
      S_CRC0:  tx_data_o = crc[15:8];
      default: tx_data_o = crc[7:0];
    endcase
  end

  assign busy_o     = (state_q != S_IDLE);
  assign tx_valid_o = (state_q != S_IDLE);

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= S_IDLE;
      type_q  <= 2'd0;
      seq_q   <= 8'd0;
      len_q   <= 9'd0;
      rom_q   <= 1'b0;
      sent_q  <= 9'd0;
    end else if (state_q == S_IDLE) begin
      if (start_i) begin
        type_q  <= type_i;
        seq_q   <= seq_i;
        len_q   <= len_i;
        rom_q   <= rom_i;
        sent_q  <= 9'd0;
        state_q <= S_SYNC0;
      end
    end else if (take) begin
      case (state_q)
        S_LEN1: state_q <= (len_q == 9'd0) ? S_CRC0 : S_BODY;
        S_BODY: begin
          sent_q <= sent_q + 1'b1;
          if (sent_q + 1'b1 == len_q) state_q <= S_CRC0;
        end
        S_CRC1: state_q <= S_IDLE;
        default: state_q <= state_q + 1'b1;
      endcase
    end
  end

endmodule

`default_nettype wire

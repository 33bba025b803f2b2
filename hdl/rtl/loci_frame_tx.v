// SPDX-License-Identifier: Apache-2.0
// Link frame transmitter (docs/protocol.md §2): wraps a payload byte stream into
// SYNC0 SYNC1 TYPE SEQ LEN(LE) PAYLOAD CRC(BE) and hands the bytes to the UART, computing
// CRC-16/CCITT-FALSE over TYPE .. PAYLOAD on the way.

`default_nettype none

module loci_frame_tx (
  input  wire       clk_i,
  input  wire       rst_ni,
  // Start a frame (ignored while busy_o): TYPE, SEQ and LEN are taken in this clock.
  input  wire       start_i,
  input  wire [7:0] type_i,
  input  wire [7:0] seq_i,
  input  wire [8:0] len_i,
  // High from start_i until the frame's last byte has been handed to the UART.
  output wire       busy_o,
  // Payload bytes, in order, exactly LEN of them (valid/ready).
  input  wire [7:0] pl_data_i,
  input  wire       pl_valid_i,
  output wire       pl_ready_o,
  // Payload bytes sent so far in this frame (the index of the next one), 0 .. LEN.
  output wire [8:0] pl_index_o,
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
  reg [7:0] type_q, seq_q;
  reg [8:0] len_q;
  // Payload bytes already sent.
  reg [8:0] sent_q;

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
      S_TYPE:  tx_data_o = type_q;
      S_SEQ:   tx_data_o = seq_q;
      S_LEN0:  tx_data_o = len_q[7:0];
      S_LEN1:  tx_data_o = {7'd0, len_q[8]};
      S_BODY:  tx_data_o = pl_data_i;
      S_CRC0:  tx_data_o = crc[15:8];
      S_CRC1:  tx_data_o = crc[7:0];
      default: tx_data_o = 8'h00;
    endcase
  end

  assign busy_o     = (state_q != S_IDLE);
  assign tx_valid_o = (state_q != S_IDLE) && (state_q != S_BODY || pl_valid_i);
  assign pl_ready_o = (state_q == S_BODY) && tx_ready_i;
  assign pl_index_o = sent_q;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= S_IDLE;
      type_q  <= 8'd0;
      seq_q   <= 8'd0;
      len_q   <= 9'd0;
      sent_q  <= 9'd0;
    end else if (state_q == S_IDLE) begin
      if (start_i) begin
        type_q  <= type_i;
        seq_q   <= seq_i;
        len_q   <= len_i;
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

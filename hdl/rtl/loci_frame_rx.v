// SPDX-License-Identifier: Apache-2.0
// Link frame receiver (docs/protocol.md §2, §2.1): hunts for SYNC (A5 5A), reads TYPE, SEQ and
// LEN, stores the payload in one of two 256-byte frame buffers (one EBR), checks the CRC, and
// hands the engine one descriptor per frame with a readable header: OK, CRC, LENGTH or TIMEOUT.
// No backtracking: after a bad frame the hunt restarts at the next byte.
//
// Two descriptors at most: the head (the frame the engine works on) and the header registers of
// the frame received after it, which wait there until the head is popped. A frame that starts
// while both are taken has no buffer: it is dropped when it ends (overflow_o).

`default_nettype none

module loci_frame_rx #(
  // Largest LEN accepted (protocol v1: 256; the buffers hold 256 bytes each).
  parameter integer MaxPayload = 256,
  // Core clocks without a byte before a partial frame is abandoned (protocol: 2^18).
  parameter integer TimeoutClocks = 262144
) (
  input  wire       clk_i,
  input  wire       rst_ni,
  // Bytes from the UART receiver.
  input  wire [7:0] rx_data_i,
  input  wire       rx_valid_i,
  // Head descriptor; desc_pop_i (one clock, while valid) frees it and its buffer.
  output reg        desc_valid_o,
  input  wire       desc_pop_i,
  output reg  [1:0] desc_status_o,
  output reg  [7:0] desc_type_o,
  output reg  [7:0] desc_seq_o,
  output reg  [8:0] desc_len_o,
  // Payload of the head descriptor: byte `buf_idx_i` appears on buf_data_o one clock later.
  input  wire [7:0] buf_idx_i,
  output reg  [7:0] buf_data_o,
  // One clock per frame with a readable header when it ends, and whether it was dropped for
  // want of a buffer (then it gets no descriptor).
  output wire       done_o,
  output wire       drop_o,
  // Bytes discarded while hunting: 0, 1 or 2 this clock.
  output wire [1:0] garbage_o,
  // High while a frame (or a SYNC0) is partly received: the inter-byte timer runs.
  output wire       busy_o
);

  // Descriptor status codes.
  localparam [1:0] D_OK      = 2'd0;
  localparam [1:0] D_CRC     = 2'd1;
  localparam [1:0] D_LENGTH  = 2'd2;
  localparam [1:0] D_TIMEOUT = 2'd3;

  localparam [7:0] SYNC0 = 8'ha5;
  localparam [7:0] SYNC1 = 8'h5a;
  localparam integer TW = $clog2(TimeoutClocks);

  initial begin
    if (MaxPayload < 1 || MaxPayload > 256) begin
      $error("loci_frame_rx: MaxPayload = %0d, the frame buffers hold 1..256 bytes", MaxPayload);
      $finish;
    end
    if ((1 << TW) != TimeoutClocks) begin
      $error("loci_frame_rx: TimeoutClocks = %0d must be a power of two", TimeoutClocks);
      $finish;
    end
  end

  localparam [2:0] S_HUNT0 = 3'd0;  // waiting for SYNC0
  localparam [2:0] S_HUNT1 = 3'd1;  // SYNC0 seen, waiting for SYNC1
  localparam [2:0] S_TYPE  = 3'd2;
  localparam [2:0] S_SEQ   = 3'd3;
  localparam [2:0] S_LEN0  = 3'd4;
  localparam [2:0] S_LEN1  = 3'd5;
  localparam [2:0] S_BODY  = 3'd6;  // payload bytes, then the two CRC bytes

  reg [2:0] state_q;
  // Header of the frame being received; once it has ended (pend_q) the second descriptor.
  reg [7:0] type_q, seq_q;
  reg [8:0] len_q;
  reg [1:0] status_q;
  // LEN of the frame being received (stored or not).
  reg [8:0] flen_q;
  reg pend_q;
  // This frame has the header registers and a buffer (decided at its SYNC1 byte, again at TYPE).
  reg store_q;
  // Buffer of the frame being received, and of the head descriptor.
  reg slot_q, head_slot_q;
  // Body bytes received so far (payload + CRC), 0 .. len + 1.
  reg [8:0] body_q;
  // Clocks since the last byte of a partial frame.
  reg [TW-1:0] idle_q;

  // Frame buffers: 2 x 256 bytes, written by the receiver, read by the engine (one EBR).
  (* no_rw_check *) reg [7:0] buf_mem [0:511];

  // CRC over TYPE .. CRC: zero at the end of a good frame (the CRC is sent MSB first).
  wire [15:0] crc_unused, crc_next;
  wire crc_clear = (state_q == S_HUNT1);
  wire crc_take  = rx_valid_i && (state_q >= S_TYPE);
  loci_crc #(
    .Width(16), .Poly(16'h1021), .Init(16'hffff), .Reflected(0), .XorOut(16'h0000)
  ) u_crc (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(crc_clear), .data_i(rx_data_i), .valid_i(crc_take),
    .crc_o(crc_unused), .crc_next_o(crc_next)
  );

  // LEN is complete at S_LEN1: the low byte sits in flen_q[7:0] since S_LEN0.
  wire [8:0] len_next = {rx_data_i[0], flen_q[7:0]};
  wire len_bad = (rx_data_i[7:1] != 7'd0) || (len_next > 9'(MaxPayload));
  // A byte arriving in the timeout's clock still counts. A lone SYNC0 times out too (it becomes
  // garbage), so a SYNC1 long after it does not start a frame.
  wire timeout = (state_q != S_HUNT0) && (&idle_q) && !rx_valid_i;
  wire frame_timeout = timeout && (state_q >= S_TYPE);
  wire len_end = (state_q == S_LEN1) && rx_valid_i && len_bad;
  // The byte being taken is the last CRC byte.
  wire body_end = (state_q == S_BODY) && rx_valid_i && (body_q == flen_q + 9'd1);

  assign done_o = frame_timeout || len_end || body_end;
  wire [1:0] done_status = frame_timeout ? D_TIMEOUT : len_end ? D_LENGTH : (crc_next == 16'd0) ? D_OK : D_CRC;
  assign drop_o = done_o && !store_q;
  assign busy_o = (state_q != S_HUNT0);

  // Hunting discards bytes: SYNC0 in HUNT1 discards the previous SYNC0 (the new one keeps the
  // hunt armed); any other byte discards itself, and in HUNT1 the SYNC0 before it too.
  wire hunt_miss = rx_valid_i && ((state_q == S_HUNT0 && rx_data_i != SYNC0) ||
                                  (state_q == S_HUNT1 && rx_data_i != SYNC1));
  assign garbage_o = (hunt_miss && state_q == S_HUNT1 && rx_data_i != SYNC0) ? 2'd2 :
                     (hunt_miss || (timeout && state_q == S_HUNT1)) ? 2'd1 : 2'd0;

  // The second descriptor moves to the head when the head is free.
  wire head_free = !desc_valid_o || desc_pop_i;

  always @(posedge clk_i) begin
    if (state_q == S_BODY && rx_valid_i && store_q && body_q < flen_q)
      buf_mem[{slot_q, body_q[7:0]}] <= rx_data_i;
    buf_data_o <= buf_mem[{head_slot_q, buf_idx_i}];
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= S_HUNT0;
      type_q        <= 8'd0;
      seq_q         <= 8'd0;
      len_q         <= 9'd0;
      flen_q        <= 9'd0;
      status_q      <= D_OK;
      pend_q        <= 1'b0;
      store_q       <= 1'b0;
      slot_q        <= 1'b0;
      head_slot_q   <= 1'b0;
      body_q        <= 9'd0;
      idle_q        <= '0;
      desc_valid_o  <= 1'b0;
      desc_status_o <= D_OK;
      desc_type_o   <= 8'd0;
      desc_seq_o    <= 8'd0;
      desc_len_o    <= 9'd0;
    end else begin
      // Inter-byte timer: runs only inside a frame (or after a lone SYNC0).
      if (state_q == S_HUNT0 || rx_valid_i) idle_q <= '0;
      else idle_q <= idle_q + 1'b1;

      if (desc_pop_i) desc_valid_o <= 1'b0;
      if (pend_q && head_free) begin
        desc_valid_o  <= 1'b1;
        desc_status_o <= status_q;
        desc_type_o   <= type_q;
        desc_seq_o    <= seq_q;
        desc_len_o    <= len_q;
        head_slot_q   <= slot_q;
        pend_q        <= 1'b0;
      end
      if (done_o && store_q) begin
        pend_q   <= 1'b1;
        status_q <= done_status;
        len_q    <= (done_status == D_OK) ? flen_q : 9'd0;
      end

      if (timeout) begin
        state_q <= S_HUNT0;
      end else if (rx_valid_i) begin
        case (state_q)
          S_HUNT0: if (rx_data_i == SYNC0) state_q <= S_HUNT1;
          S_HUNT1: begin
            if (rx_data_i == SYNC1) begin
              // The frame starts here: decide its header registers and buffer now, so a
              // timeout before TYPE ends this frame (TIMEOUT, TYPE 0, SEQ 0) and never
              // reuses the previous frame's decision or header.
              store_q <= !pend_q;
              if (!pend_q) begin
                type_q <= 8'd0;
                seq_q  <= 8'd0;
                slot_q <= ~head_slot_q;
              end
              state_q <= S_TYPE;
            end else if (rx_data_i != SYNC0) state_q <= S_HUNT0;
          end
          S_TYPE: begin
            // The header registers are free unless they hold a finished frame that waits
            // for the head; a frame without them is dropped when it ends. (pend_q cannot
            // rise since SYNC1: only this frame's end sets it.)
            store_q <= !pend_q;
            if (!pend_q) begin
              type_q <= rx_data_i;
              seq_q  <= 8'd0;  // 0 when the header ends before SEQ
              slot_q <= ~head_slot_q;
            end
            state_q <= S_SEQ;
          end
          S_SEQ: begin
            if (store_q) seq_q <= rx_data_i;
            state_q <= S_LEN0;
          end
          S_LEN0: begin
            flen_q[7:0] <= rx_data_i;
            state_q <= S_LEN1;
          end
          S_LEN1: begin
            flen_q  <= len_next;
            body_q  <= 9'd0;
            state_q <= len_bad ? S_HUNT0 : S_BODY;
          end
          default: begin  // S_BODY
            body_q <= body_q + 1'b1;
            if (body_end) state_q <= S_HUNT0;
          end
        endcase
      end
    end
  end

endmodule

`default_nettype wire

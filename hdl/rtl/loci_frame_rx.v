// SPDX-License-Identifier: Apache-2.0
// Link frame receiver (docs/protocol.md §2, §2.1): hunts for SYNC (A5 5A), reads TYPE, SEQ and
// LEN, stores the payload in one of two 256-byte frame buffers (one EBR), checks the CRC, and
// queues one descriptor per frame with a readable header: OK, CRC, LENGTH or TIMEOUT. The
// engine answers descriptors in order; a frame that finds both buffers taken is dropped and
// flagged (overflow). No backtracking: after a bad frame the hunt restarts at the next byte.
// EVACK frames (TYPE 0x08, LEN 5: no answer, no sequence number) bypass the buffers and the
// queue: a good one is handed out at once (evack_o), so output acknowledgements keep flowing
// even while the engine waits (for instance for an aborted run to drain its output).

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
  // Head descriptor; desc_ready_i pops it and frees its buffer.
  output wire       desc_valid_o,
  input  wire       desc_ready_i,
  output wire [1:0] desc_status_o,
  output wire [7:0] desc_type_o,
  output wire [7:0] desc_seq_o,
  output wire [8:0] desc_len_o,
  // Payload of the head descriptor: byte `buf_idx_i` appears on buf_data_o one clock later.
  input  wire [7:0] buf_idx_i,
  output reg  [7:0] buf_data_o,
  // A good EVACK (one-clock pulse): the host holds every output word before
  // `evack_received_o`; `evack_resend_o` (flags bit 0) asks for a resend from there.
  output wire        evack_o,
  output wire [31:0] evack_received_o,
  output wire        evack_resend_o,
  // Pulses for the engine's counters.
  output wire       garbage_o,      // one byte discarded while hunting
  output wire [1:0] garbage_n_o,    // how many bytes (1 or 2) garbage_o counts this clock
  output wire       overflow_o,     // a frame was dropped: no free buffer
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

  // Receiver state.
  reg [2:0] state_q;
  // Header fields of the frame being received.
  reg [7:0] type_q, seq_q;
  reg [7:0] len_lo_q;
  reg [8:0] len_q;
  // Body bytes received so far (payload + CRC), 0 .. len + 2.
  reg [8:0] body_cnt_q;
  // Whether this frame's payload goes to a buffer: decided at its first body byte, by whether
  // a buffer was free then. A frame without a buffer is dropped (overflow) when it ends.
  reg store_q;
  // This frame is an EVACK: its 5 payload bytes go to evack_q instead of a buffer.
  reg evack_mode_q;
  reg [39:0] evack_q;  // flags bits 7:1 are reserved (ignored)
  // Clocks since the last byte of a partial frame.
  reg [TW-1:0] idle_cnt_q;

  // Descriptor queue: two entries, entry k describes buffer k (pointers with a wrap bit).
  reg [1:0] dstatus_q [0:1];
  reg [7:0] dtype_q [0:1];
  reg [7:0] dseq_q [0:1];
  reg [8:0] dlen_q [0:1];
  reg [1:0] wr_ptr_q, rd_ptr_q;
  wire q_full  = (wr_ptr_q[1] != rd_ptr_q[1]) && (wr_ptr_q[0] == rd_ptr_q[0]);
  wire q_empty = (wr_ptr_q == rd_ptr_q);

  assign desc_valid_o  = !q_empty;
  assign desc_status_o = dstatus_q[rd_ptr_q[0]];
  assign desc_type_o   = dtype_q[rd_ptr_q[0]];
  assign desc_seq_o    = dseq_q[rd_ptr_q[0]];
  assign desc_len_o    = dlen_q[rd_ptr_q[0]];

  // Frame buffers: 2 x 256 bytes, written by the receiver, read by the engine (one EBR).
  reg [7:0] buf_mem [0:511];

  // CRC over TYPE .. CRC: zero at the end of a good frame (the CRC is sent MSB first).
  wire [15:0] crc_unused, crc_next;
  wire crc_clear = (state_q == S_HUNT1) && rx_valid_i && rx_data_i == SYNC1;
  wire crc_take  = rx_valid_i && (state_q >= S_TYPE);
  loci_crc #(
    .Width(16), .Poly(16'h1021), .Init(16'hffff), .Reflected(0), .XorOut(16'h0000)
  ) u_crc (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(crc_clear), .data_i(rx_data_i), .valid_i(crc_take), .crc_o(crc_unused),
    .crc_next_o(crc_next)
  );

  wire [8:0] len_next = {rx_data_i[0], len_lo_q};
  wire len_bad = (rx_data_i[7:1] != 7'd0) || (len_next > 9'(MaxPayload));
  // A byte arriving in the timeout's clock still counts: the frame lives on. A lone SYNC0 times
  // out too (it becomes garbage), so a SYNC1 long after it does not start a frame.
  wire timeout = (state_q != S_HUNT0) && (&idle_cnt_q) && !rx_valid_i;
  wire frame_timeout = timeout && (state_q >= S_TYPE);
  // The byte being taken is the last CRC byte.
  wire body_last = (state_q == S_BODY) && rx_valid_i && (body_cnt_q == len_q + 9'd1);
  wire evack_good = body_last && evack_mode_q && (crc_next == 16'd0);
  assign evack_o = evack_good;
  assign evack_received_o = evack_q[31:0];
  assign evack_resend_o = evack_q[32];

  // A finished frame (or header) becomes a descriptor; with no free entry it is dropped.
  reg push;
  reg [1:0] push_status;
  always @(*) begin
    push = 1'b0;
    push_status = D_OK;
    if (frame_timeout) begin
      push = 1'b1;
      push_status = D_TIMEOUT;
    end else if (state_q == S_LEN1 && rx_valid_i && len_bad) begin
      push = 1'b1;
      push_status = D_LENGTH;
    end else if (body_last && !evack_good) begin
      push = 1'b1;
      // rx_data_i is the last CRC byte: the register after it must be zero.
      push_status = (crc_next == 16'd0) ? D_OK : D_CRC;
    end
  end

  // A good frame needs the buffer it claimed; any descriptor needs a free queue entry.
  wire push_ok   = !q_full && (push_status != D_OK || store_q);
  wire store_now = push && push_ok;
  wire drop_now  = push && !push_ok;
  assign overflow_o = drop_now;

  assign busy_o = (state_q != S_HUNT0);

  // Hunting discards bytes: SYNC0 in HUNT1 discards the previous SYNC0 (the new one keeps the
  // hunt armed); any other byte discards itself, and in HUNT1 the SYNC0 before it too.
  assign garbage_o = (rx_valid_i && (
      (state_q == S_HUNT0 && rx_data_i != SYNC0) ||
      (state_q == S_HUNT1 && rx_data_i != SYNC1))) || (timeout && state_q == S_HUNT1);
  assign garbage_n_o = (rx_valid_i && state_q == S_HUNT1 && rx_data_i != SYNC0) ? 2'd2 : 2'd1;

  always @(posedge clk_i) begin
    if (state_q == S_BODY && rx_valid_i && store_q && !evack_mode_q && body_cnt_q < len_q)
      buf_mem[{wr_ptr_q[0], body_cnt_q[7:0]}] <= rx_data_i;
    buf_data_o <= buf_mem[{rd_ptr_q[0], buf_idx_i}];
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= S_HUNT0;
      type_q     <= 8'd0;
      seq_q      <= 8'd0;
      len_lo_q   <= 8'd0;
      len_q      <= 9'd0;
      body_cnt_q <= 9'd0;
      store_q    <= 1'b0;
      evack_mode_q <= 1'b0;
      evack_q    <= 40'd0;
      idle_cnt_q <= '0;
      wr_ptr_q   <= 2'd0;
      rd_ptr_q   <= 2'd0;
      dstatus_q[0] <= D_OK;
      dstatus_q[1] <= D_OK;
      dtype_q[0] <= 8'd0;
      dtype_q[1] <= 8'd0;
      dseq_q[0] <= 8'd0;
      dseq_q[1] <= 8'd0;
      dlen_q[0] <= 9'd0;
      dlen_q[1] <= 9'd0;
    end else begin
      // Inter-byte timer: runs only inside a frame (or after a lone SYNC0).
      if (state_q == S_HUNT0 || rx_valid_i) idle_cnt_q <= '0;
      else idle_cnt_q <= idle_cnt_q + 1'b1;

      if (store_now) begin
        dstatus_q[wr_ptr_q[0]] <= push_status;
        dtype_q[wr_ptr_q[0]]   <= type_q;
        dseq_q[wr_ptr_q[0]]    <= seq_q;  // 0 when the header ended before SEQ
        dlen_q[wr_ptr_q[0]]    <= (push_status == D_OK) ? len_q : 9'd0;
        wr_ptr_q <= wr_ptr_q + 1'b1;
      end
      if (desc_ready_i && !q_empty) rd_ptr_q <= rd_ptr_q + 1'b1;

      if (timeout) begin
        state_q <= S_HUNT0;
      end else if (rx_valid_i) begin
        case (state_q)
          S_HUNT0: if (rx_data_i == SYNC0) state_q <= S_HUNT1;
          S_HUNT1: begin
            if (rx_data_i == SYNC1) state_q <= S_TYPE;
            else if (rx_data_i != SYNC0) state_q <= S_HUNT0;
          end
          S_TYPE: begin
            type_q  <= rx_data_i;
            seq_q   <= 8'd0;
            state_q <= S_SEQ;
          end
          S_SEQ: begin
            seq_q   <= rx_data_i;
            state_q <= S_LEN0;
          end
          S_LEN0: begin
            len_lo_q <= rx_data_i;
            state_q  <= S_LEN1;
          end
          S_LEN1: begin
            len_q      <= len_next;
            body_cnt_q <= 9'd0;
            // A buffer is needed from the first body byte on; claim it now.
            store_q    <= !q_full || (desc_ready_i && !q_empty);
            evack_mode_q <= (type_q == 8'h08) && (len_next == 9'd5);
            state_q    <= len_bad ? S_HUNT0 : S_BODY;
          end
          default: begin  // S_BODY
            body_cnt_q <= body_cnt_q + 1'b1;
            if (evack_mode_q && body_cnt_q < 9'd5) evack_q <= {rx_data_i, evack_q[39:8]};
            if (body_last) state_q <= S_HUNT0;
          end
        endcase
      end
    end
  end

endmodule

`default_nettype wire

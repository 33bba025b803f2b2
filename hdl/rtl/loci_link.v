// SPDX-License-Identifier: Apache-2.0
// The link's command engine (docs/protocol.md): UART, frame receiver and transmitter, and the
// FSM that executes frames in order against the core (memories, run control, input and output
// event streams) and answers each with ACK, DATA or NACK. host/driver/board-model.ts is the
// reference behaviour. A frame is executed only after its CRC passed and only when every check
// passed: a refused frame changes nothing.
//
// Area matters more than speed here (the core fills most of the iCE40UP5K; the UART gives 80
// clocks per byte), so everything is byte-serial: payload bytes are read one at a time from
// the frame buffer and shifted through one 48-bit register (words in, words out), answers are
// written byte by byte into the transmitter's payload buffer, and the memory checks are the
// core's own (a check pass over every word before a write pass; a read pass over every
// address before a READ streams).

`default_nettype none
`include "loci_spec.vh"
`include "loci_core_map.vh"

module loci_link #(
  parameter integer ClkHz = 24_000_000,
  parameter integer Baud = 3_000_000,
  // HELLO.flags bit 0.
  parameter integer VirtualBoard = 0,
  parameter [31:0] BuildId = 32'd0,
  parameter integer Window = 32,
  // Inter-byte timeout in clocks (protocol: 2^18).
  parameter integer TimeoutClocks = 262144,
  // Input words buffered (the credit) and output words kept until polled (one EBR each at 256).
  parameter integer InputBufferWords = 256,
  parameter integer OutputBufferWords = 256,
  // Derived widths (do not override).
  parameter integer NeuronW = $clog2(`LOCI_NEURONS),
  parameter integer AxonW = $clog2(`LOCI_AXONS)
) (
  input  wire                           clk_i,
  input  wire                           rst_ni,
  input  wire                           uart_rx_i,
  output wire                           uart_tx_o,

  // ---- to loci_core (docs/core-spec.md §9): control.
  input  wire                           ctl_ready_i,
  output reg                            ctl_run_o,     // held until taken (ctl_ready_i)
  output wire [31:0]                    ctl_steps_o,
  output reg                            ctl_reset_o,   // held until taken (ctl_ready_i)
  output reg                            ctl_abort_o,   // one clock
  input  wire                           busy_i,
  // ---- host memory port: one request at a time, each answered by mem_rvalid_i.
  output reg                            mem_valid_o,
  input  wire                           mem_ready_i,
  output reg  [1:0]                     mem_op_o,      // 0 read, 1 write, 2 check
  output wire [`LOCI_MEM_ID_W-1:0]      mem_id_o,
  output wire [`LOCI_MEM_ADDR_W-1:0]    mem_addr_o,
  output wire [`LOCI_MEM_DATA_W-1:0]    mem_wdata_o,
  input  wire                           mem_rvalid_i,
  input  wire [`LOCI_MEM_STATUS_W-1:0]  mem_status_i,
  input  wire [`LOCI_MEM_DATA_W-1:0]    mem_rdata_i,
  // ---- input events to the core: axons of a step, then an end-of-step marker.
  output wire                           in_valid_o,
  input  wire                           in_ready_i,
  output wire                           in_eos_o,
  output wire [AxonW-1:0]               in_axon_o,
  // ---- recorded spikes from the core, and the end-of-step marker after every step.
  input  wire                           out_valid_i,
  output wire                           out_ready_o,
  input  wire                           out_eos_i,
  input  wire [NeuronW-1:0]             out_neuron_i,

  // Status for LEDs and the virtual board.
  output wire                           running_o,
  output wire                           nack_o,
  output wire                           idle_o
);

  // ------------------------------------------------------------------------------------------
  // Protocol constants (docs/protocol.md §4, §5; memory ids and core statuses from the map).
  localparam [7:0] OP_HELLO = 8'h01, OP_STATUS = 8'h02, OP_RESET = 8'h03, OP_WRITE = 8'h04,
                   OP_READ = 8'h05, OP_RUN = 8'h06, OP_INPUT = 8'h07, OP_POLL = 8'h08,
                   OP_ABORT = 8'h09;
  // Response types: TYPE = 0x80 | t.
  localparam [1:0] T_ACK = 2'd0, T_NACK = 2'd1, T_DATA = 2'd2;
  localparam [4:0] ST_CRC = 5'h01, ST_LENGTH = 5'h02, ST_TIMEOUT = 5'h03, ST_OVERFLOW = 5'h04,
                   ST_SEQUENCE = 5'h05, ST_OPCODE = 5'h10, ST_PAYLOAD = 5'h11,
                   ST_ADDRESS = 5'(`LOCI_STATUS_ADDRESS), ST_BUSY = 5'(`LOCI_STATUS_BUSY),
                   ST_IDLE = 5'h16, ST_RANGE = 5'(`LOCI_STATUS_RANGE), ST_CREDIT = 5'h18;
  localparam [3:0] MEM_CONFIG = 4'(`LOCI_MEM_CONFIG);
  localparam [1:0] OP_RD = 2'd0, OP_WR = 2'd1, OP_CHECK = 2'd2;
  localparam integer A = `LOCI_AXONS;
  localparam integer IBW = $clog2(InputBufferWords) + 1;
  // A step's input words and its step-end word must fit the buffer at once (§7.3).
  localparam integer MaxInputs = (InputBufferWords - 1 < A) ? InputBufferWords - 1 : A;

  initial begin
    if (`LOCI_MEM_ADDR_W != 16 || `LOCI_MEM_DATA_W != 48 || `LOCI_MEM_ID_W != 4) begin
      $error("loci_link: the engine assumes 16-bit addresses, 48-bit words and 4-bit memory ids");
      $finish;
    end
  end

  // docs/protocol.md §5.1: the HELLO record, little-endian fields at their byte offsets (the
  // rest is reserved, 0). It lives in the transmitter's buffer.
  function automatic [511:0] caps_record(input integer unused);
    reg [511:0] r;
    begin
      r = 512'd0;
      r[8*0 +: 8]   = 8'd1;                              // protocolVersion
      r[8*1 +: 8]   = 8'(`LOCI_CORE_SPEC_VERSION);       // coreSpecVersion
      r[8*2 +: 16]  = 16'd256;                           // maxPayload
      r[8*4 +: 8]   = 8'(Window);                        // window
      r[8*5 +: 8]   = (VirtualBoard != 0) ? 8'd1 : 8'd0; // flags: bit 0 virtual board
      r[8*8 +: 32]  = 32'(`LOCI_NEURONS);                // neurons
      r[8*12 +: 32] = 32'(`LOCI_AXONS);                  // axons
      r[8*16 +: 32] = 32'(`LOCI_SYNAPSES);               // synapses
      r[8*20 +: 32] = 32'(`LOCI_MAX_FAN_IN);             // maxFanIn
      r[8*24 +: 8]  = 8'(`LOCI_DELAY_SLOTS);             // delaySlots
      r[8*25 +: 8]  = 8'(`LOCI_WEIGHT_W);                // weightBits
      r[8*26 +: 8]  = 8'(`LOCI_SYNAPSE_WORD_W);          // synapseWordBits
      r[8*27 +: 8]  = 8'(`LOCI_RING_W);                  // ringBits
      r[8*28 +: 16] = 16'(InputBufferWords);             // inputBufferWords
      r[8*30 +: 16] = 16'(OutputBufferWords);            // outputBufferWords
      r[8*32 +: 16] = 16'(MaxInputs);                    // maxInputsPerStep
      r[8*36 +: 32] = 32'(Baud);                         // baud
      r[8*40 +: 32] = 32'(ClkHz);                        // clockHz
      r[8*44 +: 32] = BuildId;                           // buildId
      caps_record = r;
    end
  endfunction

  // ------------------------------------------------------------------------------------------
  // Engine states.
  localparam [4:0] S_IDLE  = 5'd0,   // pick the next frame
                   S_PARSE = 5'd1,   // read the fixed payload fields
                   S_HDR   = 5'd2,   // act on them
                   S_WORD  = 5'd3,   // WRITE, INPUT: read a word's bytes (or find the end)
                   S_ALIGN = 5'd4,   // WRITE: shift the word down to bit 0
                   S_ACT   = 5'd5,   // WRITE, INPUT: check or do the word
                   S_MEM   = 5'd6,   // a core memory request is out
                   S_RSCAN = 5'd7,   // READ: check pass over every address
                   S_DHDR  = 5'd8,   // READ: a DATA frame's address field
                   S_DWORD = 5'd9,   // READ: the next word, or send the frame
                   S_DBYTE = 5'd10,  // READ: a word's bytes into the frame
                   S_FILL  = 5'd11,  // the STATUS record
                   S_PWORD = 5'd12,  // POLL: output words into the answer
                   S_RUN   = 5'd13,  // RUN: the core takes the run
                   S_RESET = 5'd14,  // RESET: the core clears
                   S_NACK  = 5'd15,  // a NACK payload, then send
                   S_SEND  = 5'd16;  // send the ACK, drop the frame
  reg [4:0] state_q, state_d;

  // ------------------------------------------------------------------------------------------
  // UART and frames.
  wire [7:0] rx_data;
  wire rx_valid, rx_frame_err_unused;
  wire [7:0] tx_data;
  wire tx_valid, tx_ready;
  loci_uart #(.ClkHz(ClkHz), .Baud(Baud)) u_uart (
    .clk_i(clk_i), .rst_ni(rst_ni), .rx_i(uart_rx_i), .tx_o(uart_tx_o),
    .rx_data_o(rx_data), .rx_valid_o(rx_valid), .rx_frame_err_o(rx_frame_err_unused),
    .tx_data_i(tx_data), .tx_valid_i(tx_valid), .tx_ready_o(tx_ready)
  );

  wire desc_valid;
  reg desc_pop_q;
  wire [1:0] desc_status;
  wire [7:0] desc_type, desc_seq;
  wire [8:0] desc_len;
  wire [7:0] buf_byte;
  wire frx_done, frx_drop, frx_busy;
  wire [1:0] garbage_n;
  reg [8:0] rd_pos_q;     // next payload byte to read from the frame buffer
  loci_frame_rx #(.MaxPayload(256), .TimeoutClocks(TimeoutClocks)) u_frx (
    .clk_i(clk_i), .rst_ni(rst_ni), .rx_data_i(rx_data), .rx_valid_i(rx_valid),
    .desc_valid_o(desc_valid), .desc_pop_i(desc_pop_q), .desc_status_o(desc_status),
    .desc_type_o(desc_type), .desc_seq_o(desc_seq), .desc_len_o(desc_len),
    .buf_idx_i(rd_pos_q[7:0]), .buf_data_o(buf_byte),
    .done_o(frx_done), .drop_o(frx_drop), .garbage_o(garbage_n), .busy_o(frx_busy)
  );

  // An answer's payload is written byte by byte (wr_now: byte wr_data at wp_q), then the frame
  // starts (tx_start) with LEN = wp_q.
  reg wr_now;
  reg [7:0] wr_data;
  reg [8:0] wp_q;
  reg tx_start;
  reg [1:0] tx_type;
  reg tx_rom_q;           // the HELLO record instead of the buffer
  reg no_frame_q;         // the answer has no frame: SEQ = expected (OVERFLOW)
  reg [7:0] expected_q;   // the sequence number the next executed frame must carry
  wire tx_busy;
  loci_frame_tx #(.Rom(caps_record(0))) u_ftx (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .wr_i(wr_now), .wr_addr_i(wp_q[7:0]), .wr_data_i(wr_data),
    .start_i(tx_start), .type_i(tx_type), .seq_i(no_frame_q ? expected_q : desc_seq),
    .len_i(tx_rom_q ? 9'd64 : wp_q), .rom_i(tx_rom_q),
    .busy_o(tx_busy), .tx_data_o(tx_data), .tx_valid_o(tx_valid), .tx_ready_i(tx_ready)
  );

  // ------------------------------------------------------------------------------------------
  // Event streams.
  reg in_clear, in_discard, in_abort, in_wvalid;
  reg [47:0] asm_q;       // payload bytes shift in at the top; words shift out at the bottom
  wire [IBW-1:0] in_buffered;
  wire in_empty;
  loci_link_in #(.Depth(InputBufferWords), .AxonW(AxonW)) u_in (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(in_clear), .discard_i(in_discard), .abort_i(in_abort),
    .wdata_i(asm_q[47:32]), .wvalid_i(in_wvalid),
    .ev_valid_o(in_valid_o), .ev_eos_o(in_eos_o), .ev_axon_o(in_axon_o), .ev_pop_i(in_ready_i),
    .buffered_o(in_buffered), .empty_o(in_empty)
  );

  reg out_clear;
  wire out_free;
  reg [7:0] k_q;          // words in the POLL answer so far
  wire out_flushed, taken_ok, out_more;
  wire [15:0] out_word;
  wire run_done;
  loci_link_out #(.Depth(OutputBufferWords), .NeuronW(NeuronW)) u_out (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(out_clear),
    .sp_valid_i(out_valid_i), .sp_eos_i(out_eos_i), .sp_neuron_i(out_neuron_i), .sp_ready_o(out_ready_o),
    .flush_i(run_done || (running_q && in_empty)), .flushed_o(out_flushed),
    .taken_i(asm_q[47:32]), .taken_ok_o(taken_ok), .free_i(out_free),
    .rd_k_i(k_q), .rd_word_o(out_word), .more_o(out_more)
  );

  // ------------------------------------------------------------------------------------------
  // Link state.

  // A frame was dropped for want of a buffer; one NACK OVERFLOW is owed.
  reg overflow_owed_q;
  // A run is going (from the core taking it until its output is flushed); ABORT was asked.
  reg running_q, aborting_q;
  // Copy of CONFIG.numAxons (the core's power-up value 0), for the INPUT check.
  reg [AxonW:0] num_axons_q;
  // STATUS counters (u16, wrapping): frames with a readable header (each answered, or dropped
  // for want of a buffer), bytes discarded while hunting.
  reg [15:0] cnt_frames_q, cnt_garbage_q;
  // Second pass over the frame (WRITE: write; INPUT: buffer; READ: stream).
  reg pass_q;
  // WRITE, READ: memory, address of the word, words left.
  reg [3:0] mem_id_q;
  reg [15:0] maddr_q, cnt_q;
  // Bytes of the word shifted so far (0..6), or the step of a POLL word.
  reg [2:0] nb_q;
  // The NACK status.
  reg [4:0] nack_q;
  // A memory request was taken; its answer is due.
  reg mem_pend_q;
  // Payload reader: 0 the buffer reads byte rd_pos_q, 1 it is on buf_byte.
  reg rph_q;

  wire is_write = desc_type == OP_WRITE;
  wire is_read  = desc_type == OP_READ;
  wire is_input = desc_type == OP_INPUT;
  wire is_run   = desc_type == OP_RUN;
  // Bytes per word (docs/protocol.md §6: ceil(bits / 8) of the memory map; INPUT words are 2),
  // and a copy one clock behind (wb_q): mem_id_q and the head frame's TYPE are set clocks
  // before a word is read or sent, and the copy keeps the decode out of the byte counters'
  // compares.
  function automatic [2:0] word_bytes(input integer bits);
    word_bytes = 3'((bits + 7) / 8);
  endfunction
  reg [2:0] wb, wb_q;
  always @(*) begin
    case (mem_id_q)
      4'(`LOCI_MEM_FANIN_LIST): wb = word_bytes(`LOCI_MEM_FANIN_LIST_BITS);
      4'(`LOCI_MEM_STATE):      wb = word_bytes(`LOCI_MEM_STATE_BITS);
      4'(`LOCI_MEM_RING):       wb = word_bytes(`LOCI_MEM_RING_BITS);
      4'(`LOCI_MEM_AXON_TRACE): wb = word_bytes(`LOCI_MEM_AXON_TRACE_BITS);
      4'(`LOCI_MEM_WEIGHTS):    wb = word_bytes(`LOCI_MEM_WEIGHTS_BITS);
      default:                  wb = 3'd4;  // the 32-bit memories (and unknown ids: refused)
    endcase
    if (is_input) wb = 3'd2;
  end
  // Another word fits the DATA frame (LEN + wb <= 256).
  wire data_fits = ({1'b0, wp_q} + {7'd0, wb_q}) <= 10'd256;
  wire pl_end = (rd_pos_q == desc_len);
  wire [8:0] hdr_len = (is_write || is_read) ? 9'd8 : is_run ? 9'd4 : 9'd2;
  wire cnt_zero = (cnt_q == 16'd0);
  // An INPUT word: an axon below numAxons, or a step-end word with k >= 1.
  wire [15:0] in_word = asm_q[47:32];
  wire in_word_ok = in_word[15] ? (in_word[14:0] != 15'd0) : ({1'b0, in_word[14:0]} < 16'(num_axons_q));
  // The reader takes a byte this clock (it is on buf_byte).
  reg rd_on;
  wire rd_take = rd_on && rph_q;
  wire mem_ok = mem_rvalid_i && mem_pend_q && (mem_status_i == 8'd0);
  wire mem_bad = mem_rvalid_i && mem_pend_q && (mem_status_i != 8'd0);
  // The run has ended in the core (its last marker taken): the output is flushed, then the
  // run is over.
  assign run_done = running_q && !ctl_run_o && !busy_i && !out_valid_i;
  // POLL frees the words taken as it starts its answer (the first word is read the clock after).
  // POLL's check of `taken`, a clock late (asm_q holds the field from the clock before S_HDR;
  // the buffer only gains words until the POLL frees some, so the late check is the same).
  reg taken_ok_q;
  assign out_free = (state_q == S_HDR) && !is_write && !is_read && !is_run && taken_ok_q;

  // Decision on the head frame in S_IDLE: a NACK status (0: none); d_exec: in sequence. It is
  // registered (d_status_q, d_exec_q) and acted on in the next clock (dec_q): the credit sum and
  // the sequence compare then end in a register, not in the engine's state and enables.
  reg [4:0] d_status;
  reg d_exec;
  reg [4:0] d_status_q;
  reg d_exec_q;
  // The registered decision is the head frame's and still holds: it was made in S_IDLE in the
  // last clock, on a head that stays until popped, and neither the engine (go) nor the end of a
  // run changed its inputs since. (The input buffer may have emptied by a word: that only
  // loosens the credit check by words the host does not count as free yet, docs/protocol.md §7.3.)
  reg dec_q;
  always @(*) begin
    d_status = 5'd0;
    d_exec = 1'b0;
    case (desc_status)
      2'd1: d_status = ST_CRC;
      2'd2: d_status = ST_LENGTH;
      2'd3: d_status = ST_TIMEOUT;
      default: begin
        if (desc_type == OP_HELLO) begin
          d_status = 5'd0;
        end else if (desc_seq != expected_q) begin
          d_status = ST_SEQUENCE;
        end else begin
          d_exec = 1'b1;
          case (desc_type)
            OP_STATUS, OP_ABORT: if (desc_len != 9'd0) d_status = ST_PAYLOAD;
            OP_RESET: begin
              if (desc_len != 9'd0) d_status = ST_PAYLOAD;
              else if (running_q) d_status = ST_BUSY;
            end
            OP_WRITE: if (desc_len < 9'd8) d_status = ST_PAYLOAD;
            OP_READ: if (desc_len != 9'd8) d_status = ST_PAYLOAD;
            OP_RUN: begin
              if (desc_len != 9'd4) d_status = ST_PAYLOAD;
              else if (running_q) d_status = ST_BUSY;
            end
            OP_INPUT: begin
              if (desc_len == 9'd0 || desc_len[0]) d_status = ST_PAYLOAD;
              else if (!running_q || aborting_q) d_status = ST_IDLE;
              else if (10'(in_buffered) + {2'd0, desc_len[8:1]} > 10'(InputBufferWords)) d_status = ST_CREDIT;
            end
            OP_POLL: if (desc_len != 9'd2) d_status = ST_PAYLOAD;
            default: d_status = ST_OPCODE;
          endcase
        end
      end
    endcase
  end

  // ------------------------------------------------------------------------------------------
  // Control: the next state and this clock's actions.
  reg go;                 // S_IDLE takes the head frame (or the owed OVERFLOW)
  reg nack_go;            // answer NACK nack_code
  reg [4:0] nack_code;
  reg rd_rst, asm_zero, asm_load, wp_rst, k_inc, nb_rst, nb_inc, pass_set, mem_go, pop;
  reg [1:0] mem_op_d;
  always @(*) begin
    state_d = state_q;
    go = 1'b0;
    nack_go = 1'b0;
    nack_code = d_status_q;
    rd_on = 1'b0;
    rd_rst = 1'b0;
    asm_zero = 1'b0;
    asm_load = 1'b0;
    wr_now = 1'b0;
    wp_rst = 1'b0;
    k_inc = 1'b0;
    nb_rst = 1'b0;
    nb_inc = 1'b0;
    pass_set = 1'b0;
    mem_go = 1'b0;
    mem_op_d = OP_RD;
    pop = 1'b0;
    tx_start = 1'b0;
    tx_type = T_ACK;
    case (state_q)
      S_IDLE: begin
        rd_rst = 1'b1;
        wp_rst = 1'b1;
        nb_rst = 1'b1;
        go = !tx_busy && (overflow_owed_q ? !frx_drop : dec_q);
        if (go) begin
          if (overflow_owed_q) begin
            nack_go = 1'b1;
            nack_code = ST_OVERFLOW;
          end else if (d_status_q != 5'd0) begin
            nack_go = 1'b1;
          end else begin
            case (desc_type)
              OP_HELLO, OP_ABORT: state_d = S_SEND;
              OP_STATUS: state_d = S_FILL;
              OP_RESET: state_d = S_RESET;
              OP_INPUT: state_d = S_WORD;
              default: state_d = S_PARSE;  // WRITE, READ, RUN, POLL
            endcase
          end
        end
      end

      S_PARSE: begin
        rd_on = (rd_pos_q != hdr_len);
        if (!rd_on) state_d = S_HDR;
      end

      S_HDR: begin
        if (is_write || is_read) begin
          if (cnt_zero) begin
            nack_go = 1'b1;
            nack_code = ST_ADDRESS;
          end else begin
            state_d = !is_read ? S_WORD : pass_q ? S_DHDR : S_RSCAN;
          end
        end else if (is_run) begin
          // steps (u32) = asm_q[47:16]: 1 .. 2^31 - 1.
          if (asm_q[47:16] == 32'd0 || asm_q[47]) begin
            nack_go = 1'b1;
            nack_code = ST_RANGE;
          end else begin
            state_d = S_RUN;
          end
        end else begin  // POLL: words taken (u16) = asm_q[47:32]
          if (!taken_ok_q) begin
            nack_go = 1'b1;
            nack_code = ST_RANGE;
          end else begin
            state_d = S_PWORD;
          end
        end
      end

      S_WORD: begin
        if (nb_q == wb_q) begin
          state_d = is_write ? S_ALIGN : S_ACT;
        end else if (pl_end) begin
          // The payload ends: inside a word, or before `count` words (WRITE).
          if (nb_q != 3'd0 || (is_write && !cnt_zero)) begin
            nack_go = 1'b1;
            nack_code = ST_PAYLOAD;
          end else if (!pass_q) begin
            // Second pass: the header again (WRITE), or the words (INPUT).
            pass_set = 1'b1;
            rd_rst = 1'b1;
            state_d = is_write ? S_PARSE : S_WORD;
          end else begin
            state_d = S_SEND;
          end
        end else if (is_write && cnt_zero && nb_q == 3'd0) begin
          nack_go = 1'b1;  // more words than `count`
          nack_code = ST_PAYLOAD;
        end else begin
          rd_on = 1'b1;
          nb_inc = rd_take;
        end
      end

      S_ALIGN: begin
        // Shift zero bytes in until the word's low byte is at bit 0.
        if (nb_q == 3'd6) begin
          state_d = S_ACT;
        end else begin
          asm_zero = 1'b1;
          nb_inc = 1'b1;
        end
      end

      S_ACT: begin
        nb_rst = 1'b1;
        if (is_write) begin
          mem_go = 1'b1;
          mem_op_d = pass_q ? OP_WR : OP_CHECK;
          state_d = S_MEM;
        end else if (!pass_q && !in_word_ok) begin
          nack_go = 1'b1;
          nack_code = ST_RANGE;
        end else begin
          state_d = S_WORD;
        end
      end

      S_MEM: begin
        if (mem_bad) begin
          nack_go = 1'b1;
          nack_code = mem_status_i[4:0];
        end else if (mem_ok) begin
          asm_load = is_read && pass_q;
          state_d = !is_read ? S_WORD : pass_q ? S_DBYTE : S_RSCAN;
        end
      end

      S_RSCAN: begin
        // Every address of the READ is read once (the core refuses a bad one) before any DATA
        // frame goes out; then the header again for the stream.
        if (cnt_zero) begin
          pass_set = 1'b1;
          rd_rst = 1'b1;
          state_d = S_PARSE;
        end else begin
          mem_go = 1'b1;
          state_d = S_MEM;
        end
      end

      S_DHDR: begin
        // A DATA frame starts with the address of its first word (u16).
        if (!tx_busy) begin
          wr_now = 1'b1;
          if (wp_q[0]) state_d = S_DWORD;
        end
      end

      S_DWORD: begin
        nb_rst = 1'b1;
        if (cnt_zero || !data_fits) begin
          tx_start = 1'b1;
          tx_type = T_DATA;
          if (cnt_zero) begin
            pop = 1'b1;
            state_d = S_IDLE;
          end else begin
            wp_rst = 1'b1;
            state_d = S_DHDR;
          end
        end else begin
          mem_go = 1'b1;
          state_d = S_MEM;
        end
      end

      S_DBYTE: begin
        wr_now = 1'b1;
        asm_zero = 1'b1;
        nb_inc = 1'b1;
        if (nb_q + 1'b1 == wb_q) state_d = S_DWORD;
      end

      S_FILL: begin
        wr_now = 1'b1;
        if (wp_q[2:0] == 3'd5) state_d = S_SEND;
      end

      S_PWORD: begin
        // Words from the oldest on, while there are any and the answer has room (128).
        case (nb_q)
          3'd0: begin
            if (!out_more || wp_q[8]) state_d = S_SEND;
            else nb_inc = 1'b1;
          end
          3'd1: begin
            wr_now = 1'b1;
            nb_inc = 1'b1;
          end
          default: begin
            wr_now = 1'b1;
            k_inc = 1'b1;
            nb_rst = 1'b1;
          end
        endcase
      end

      S_RUN: begin
        // The run starts (the core takes it), then its ACK goes out.
        if (ctl_run_o && ctl_ready_i) state_d = S_SEND;
      end

      S_RESET: begin
        if (!ctl_reset_o && !busy_i) state_d = S_SEND;
      end

      S_NACK: begin
        // Status, then expected; the frame goes out once both are in the buffer (LEN = 2).
        if (wp_q[1]) begin
          tx_start = 1'b1;
          tx_type = T_NACK;
          pop = !no_frame_q;
          state_d = S_IDLE;
        end else if (!tx_busy) begin
          wr_now = 1'b1;
        end
      end

      default: begin  // S_SEND: the ACK (payload in the buffer, or the HELLO record)
        tx_start = 1'b1;
        pop = 1'b1;
        state_d = S_IDLE;
      end
    endcase
    if (nack_go) state_d = S_NACK;
  end

  // Bytes of the answers.
  always @(*) begin
    case (state_q)
      S_NACK:  wr_data = wp_q[0] ? expected_q : {3'd0, nack_q};
      S_FILL: begin
        // STATUS: state, expected, frames (u16), garbage bytes (u16).
        case (wp_q[2:0])
          3'd0: wr_data = {6'd0, aborting_q && running_q, running_q && !aborting_q};
          3'd1: wr_data = expected_q;
          3'd2: wr_data = cnt_frames_q[7:0];
          3'd3: wr_data = cnt_frames_q[15:8];
          3'd4: wr_data = cnt_garbage_q[7:0];
          default: wr_data = cnt_garbage_q[15:8];
        endcase
      end
      S_DHDR:  wr_data = wp_q[0] ? maddr_q[15:8] : maddr_q[7:0];
      S_DBYTE: wr_data = asm_q[7:0];
      default: wr_data = wp_q[0] ? out_word[15:8] : out_word[7:0];  // S_PWORD
    endcase
  end

  // ------------------------------------------------------------------------------------------
  // Registers.
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= S_IDLE;
      expected_q <= 8'd0;
      overflow_owed_q <= 1'b0;
      running_q <= 1'b0;
      aborting_q <= 1'b0;
      num_axons_q <= (AxonW + 1)'(`LOCI_CONFIG_NUM_AXONS_POWER_UP);
      cnt_frames_q <= 16'd0;
      cnt_garbage_q <= 16'd0;
      pass_q <= 1'b0;
      mem_id_q <= 4'd0;
      maddr_q <= 16'd0;
      cnt_q <= 16'd0;
      nb_q <= 3'd0;
      nack_q <= 5'd0;
      no_frame_q <= 1'b0;
      tx_rom_q <= 1'b0;
      mem_pend_q <= 1'b0;
      rph_q <= 1'b0;
      rd_pos_q <= 9'd0;
      asm_q <= 48'd0;
      k_q <= 8'd0;
      wp_q <= 9'd0;
      desc_pop_q <= 1'b0;
      d_status_q <= 5'd0;
      d_exec_q <= 1'b0;
      wb_q <= 3'd4;
      taken_ok_q <= 1'b0;
      dec_q <= 1'b0;
      mem_valid_o <= 1'b0;
      mem_op_o <= OP_RD;
      ctl_run_o <= 1'b0;
      ctl_reset_o <= 1'b0;
      ctl_abort_o <= 1'b0;
      in_clear <= 1'b0;
      in_discard <= 1'b0;
      in_abort <= 1'b0;
      in_wvalid <= 1'b0;
      out_clear <= 1'b0;
    end else begin
      state_q <= state_d;
      desc_pop_q <= pop;
      d_status_q <= d_status;
      d_exec_q <= d_exec;
      wb_q <= wb;
      taken_ok_q <= taken_ok;
      dec_q <= (state_q == S_IDLE) && desc_valid && !desc_pop_q && !go && !(run_done && out_flushed);

      // Counters.
      if (frx_done) cnt_frames_q <= cnt_frames_q + 1'b1;
      cnt_garbage_q <= cnt_garbage_q + {14'd0, garbage_n};
      if (frx_drop) overflow_owed_q <= 1'b1;

      // Frame bookkeeping at S_IDLE: the sequence number, and what the answer refers to.
      if (state_q == S_IDLE) begin
        no_frame_q <= overflow_owed_q;
        tx_rom_q <= go && !overflow_owed_q && desc_type == OP_HELLO && desc_status == 2'd0;
        if (go) begin
          if (overflow_owed_q) overflow_owed_q <= 1'b0;
          // HELLO starts a session: any SEQ, and the next frame must carry SEQ + 1.
          else if (desc_type == OP_HELLO && desc_status == 2'd0) expected_q <= desc_seq + 1'b1;
          else if (d_exec_q) expected_q <= expected_q + 1'b1;
        end
      end
      if (nack_go) nack_q <= nack_code;

      // Payload reader and the word register.
      if (rd_rst) begin
        rd_pos_q <= 9'd0;
        rph_q <= 1'b0;
      end else if (rd_on) begin
        rph_q <= !rph_q;
        if (rd_take) rd_pos_q <= rd_pos_q + 1'b1;
      end
      if (asm_load) asm_q <= mem_rdata_i;
      else if (rd_take || asm_zero) asm_q <= {rd_take ? buf_byte : 8'd0, asm_q[47:8]};
      if (wp_rst || nack_go) wp_q <= 9'd0;
      else if (wr_now) wp_q <= wp_q + 1'b1;
      if (state_q == S_HDR) k_q <= 8'd0;
      else if (k_inc) k_q <= k_q + 1'b1;
      if (nb_rst) nb_q <= 3'd0;
      else if (nb_inc) nb_q <= nb_q + 1'b1;
      if (state_q == S_IDLE) pass_q <= 1'b0;
      else if (pass_set) pass_q <= 1'b1;

      // WRITE, READ header fields (bytes 0..7: memory, reserved, count u16, address u32).
      if (state_q == S_PARSE && rd_take && (is_write || is_read)) begin
        case (rd_pos_q[2:0])
          3'd0: mem_id_q <= (buf_byte[7:4] != 4'd0) ? 4'hf : buf_byte[3:0];
          3'd2: cnt_q[7:0] <= buf_byte;
          3'd3: cnt_q[15:8] <= buf_byte;
          3'd4: maddr_q[7:0] <= buf_byte;
          3'd5: maddr_q[15:8] <= buf_byte;
          // An address of 2^16 or more is past every memory: the core refuses 0xffff.
          default: if (rd_pos_q[2:1] == 2'b11 && buf_byte != 8'd0) maddr_q <= 16'hffff;
        endcase
      end
      if (mem_ok) begin
        maddr_q <= maddr_q + 1'b1;
        cnt_q <= cnt_q - 1'b1;
      end

      // Memory requests are held until taken.
      if (mem_go) begin
        mem_valid_o <= 1'b1;
        mem_op_o <= mem_op_d;
      end else if (mem_ready_i) begin
        mem_valid_o <= 1'b0;
      end
      if (mem_valid_o && mem_ready_i) mem_pend_q <= 1'b1;
      else if (mem_rvalid_i) mem_pend_q <= 1'b0;
      // Keep the copy of CONFIG.numAxons the INPUT check uses.
      if (mem_ok && is_write && pass_q && mem_id_q == MEM_CONFIG && maddr_q[2:0] == 3'd1)
        num_axons_q <= asm_q[AxonW:0];

      // Input and output streams.
      in_wvalid <= (state_q == S_ACT) && is_input && pass_q;
      in_clear <= 1'b0;
      out_clear <= 1'b0;
      in_abort <= 1'b0;
      ctl_abort_o <= 1'b0;
      in_discard <= 1'b0;

      // Run control.
      if (state_q == S_HDR && state_d == S_RUN) begin
        ctl_run_o <= 1'b1;
        in_clear <= 1'b1;
        out_clear <= 1'b1;
      end
      if (ctl_run_o && ctl_ready_i) begin
        ctl_run_o <= 1'b0;
        running_q <= 1'b1;
        aborting_q <= 1'b0;
      end
      if (state_q == S_IDLE && state_d == S_RESET) begin
        ctl_reset_o <= 1'b1;
        in_clear <= 1'b1;
        out_clear <= 1'b1;
      end
      if (ctl_reset_o && ctl_ready_i) ctl_reset_o <= 1'b0;
      // ABORT: the core ends the run after the step in progress; the input side completes
      // that step's input with what it has (docs/protocol.md §7.5).
      if (state_q == S_IDLE && go && !overflow_owed_q && d_status_q == 5'd0 && desc_type == OP_ABORT &&
          running_q && !aborting_q) begin
        aborting_q <= 1'b1;
        ctl_abort_o <= 1'b1;
        in_abort <= 1'b1;
      end
      // The end of a run: once the last step-end word is written, the run is over; input it
      // did not take (after an ABORT) is dropped.
      if (run_done && out_flushed) begin
        running_q <= 1'b0;
        aborting_q <= 1'b0;
        in_discard <= 1'b1;
      end
    end
  end

  // ------------------------------------------------------------------------------------------
  assign ctl_steps_o = asm_q[47:16];
  assign mem_id_o = mem_id_q;
  assign mem_addr_o = maddr_q;
  assign mem_wdata_o = asm_q;
  assign running_o = running_q;
  assign nack_o = tx_start && tx_type == T_NACK;
  // Nothing in flight and nothing due: every register holds while this is high.
  assign idle_o = (state_q == S_IDLE) && !desc_valid && !frx_busy && !tx_busy && !running_q &&
                  !overflow_owed_q && !busy_i && !mem_valid_o && !mem_pend_q && !ctl_reset_o && !out_valid_i;

endmodule

`default_nettype wire

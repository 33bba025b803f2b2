// SPDX-License-Identifier: Apache-2.0
// Bit-level 8N1 UART models in simulated clock cycles: a line driver that turns bytes into
// levels on the design's RX pin, and a line monitor that decodes the design's TX pin.
// Bit times follow clock_hz / baud exactly (fractional ratios included): bit n of a
// back-to-back stream starts at cycle ceil(n * clock_hz / baud) after the stream began.

#ifndef LOCI_UART_MODEL_H
#define LOCI_UART_MODEL_H

#include <cstdint>
#include <deque>

namespace loci {

// Drives bytes onto a serial line, back to back (one stop bit, no idle gap) while bytes are
// queued; the line idles high when the queue is empty.
class UartLineDriver {
 public:
  UartLineDriver(uint64_t clock_hz, uint64_t baud) : clock_hz_(clock_hz), baud_(baud) {}

  // Bytes waiting to be sent (the caller appends; the driver pops when a character starts).
  std::deque<uint8_t>& queue() { return queue_; }

  // True when no character is on the line and none is queued.
  bool idle() const { return !active_ && queue_.empty(); }

  // Cycles in which the line carried a character (for statistics).
  uint64_t busy_cycles() const { return busy_cycles_; }

  // Line level for clock cycle `cycle`; call once per cycle with increasing cycles.
  int level(uint64_t cycle) {
    if (!active_) {
      if (queue_.empty()) return 1;
      active_ = true;
      stream_start_ = cycle;
      frame_index_ = 0;
      load_next();
    }
    // Bit index since the stream began: floor((cycle - start) * baud / clock).
    uint64_t bit = ((cycle - stream_start_) * baud_) / clock_hz_;
    uint64_t frame = bit / 10;
    if (frame > frame_index_) {
      // The current character is complete; continue the stream or go idle.
      if (queue_.empty()) {
        active_ = false;
        return 1;
      }
      frame_index_ = frame;
      load_next();
    }
    busy_cycles_++;
    return (frame_bits_ >> (bit % 10)) & 1;
  }

 private:
  void load_next() {
    // {stop=1, data[7:0], start=0}, LSB first on the line.
    frame_bits_ = static_cast<uint16_t>(0x200u | (static_cast<unsigned>(queue_.front()) << 1));
    queue_.pop_front();
  }

  uint64_t clock_hz_, baud_;
  std::deque<uint8_t> queue_;
  bool active_ = false;
  uint64_t stream_start_ = 0;
  uint64_t frame_index_ = 0;
  uint16_t frame_bits_ = 0x3ff;
  uint64_t busy_cycles_ = 0;
};

// Decodes a serial line sampled once per clock: finds the start edge, samples each bit at
// its middle, checks the stop bit. A low stop bit is a framing error; the monitor then waits
// for the line to go high before looking for the next start bit.
class UartLineMonitor {
 public:
  UartLineMonitor(uint64_t clock_hz, uint64_t baud) : clock_hz_(clock_hz), baud_(baud) {}

  // Feed the level of cycle `cycle`. Returns true and sets `byte` when a character completes.
  bool sample(uint64_t cycle, int level, uint8_t& byte) {
    switch (state_) {
      case State::kIdle:
        if (level == 0) {
          state_ = State::kFrame;
          start_ = cycle;
          bit_ = 0;
          shift_ = 0;
        }
        return false;
      case State::kWaitHigh:
        if (level != 0) state_ = State::kIdle;
        return false;
      case State::kFrame:
        break;
    }
    busy_cycles_++;
    // Middle of bit k: start + floor((2k + 1) * clock / (2 * baud)).
    uint64_t mid = start_ + ((2 * static_cast<uint64_t>(bit_) + 1) * clock_hz_) / (2 * baud_);
    if (cycle < mid) return false;
    if (bit_ == 0) {
      if (level != 0) state_ = State::kIdle;  // a glitch, not a start bit
      else bit_ = 1;
      return false;
    }
    if (bit_ <= 8) {
      shift_ |= static_cast<uint8_t>((level & 1) << (bit_ - 1));
      bit_++;
      return false;
    }
    if (level == 0) {
      framing_errors_++;
      state_ = State::kWaitHigh;
      return false;
    }
    state_ = State::kIdle;
    byte = shift_;
    return true;
  }

  // True when no character is being received.
  bool idle() const { return state_ == State::kIdle; }
  uint64_t framing_errors() const { return framing_errors_; }
  uint64_t busy_cycles() const { return busy_cycles_; }

 private:
  enum class State { kIdle, kFrame, kWaitHigh };
  uint64_t clock_hz_, baud_;
  State state_ = State::kIdle;
  uint64_t start_ = 0;
  int bit_ = 0;
  uint8_t shift_ = 0;
  uint64_t framing_errors_ = 0;
  uint64_t busy_cycles_ = 0;
};

}  // namespace loci

#endif  // LOCI_UART_MODEL_H

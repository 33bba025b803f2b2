// SPDX-License-Identifier: Apache-2.0
// A pseudo-terminal the host opens as a serial port: posix_openpt master, raw mode, non-blocking.
// The harness keeps its own handle on the slave side so the master never reads EIO while no
// client has the port open, and a client may close and reopen the port.

#ifndef LOCI_PTY_PORT_H
#define LOCI_PTY_PORT_H

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace loci {

class PtyPort {
 public:
  PtyPort() {
    master_ = posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0) fail("posix_openpt");
    if (grantpt(master_) != 0) fail("grantpt");
    if (unlockpt(master_) != 0) fail("unlockpt");
    const char* name = ptsname(master_);
    if (name == nullptr) fail("ptsname");
    path_ = name;
    slave_ = open(path_.c_str(), O_RDWR | O_NOCTTY);
    if (slave_ < 0) fail("open slave");
    // Raw mode: no echo, no line editing, no CR/LF translation, 8 bits; a client that opens
    // the port sets its own mode too (serialport does), this covers clients that do not.
    struct termios tio;
    if (tcgetattr(slave_, &tio) != 0) fail("tcgetattr");
    cfmakeraw(&tio);
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (tcsetattr(slave_, TCSANOW, &tio) != 0) fail("tcsetattr");
    int flags = fcntl(master_, F_GETFL);
    if (flags < 0 || fcntl(master_, F_SETFL, flags | O_NONBLOCK) != 0) fail("fcntl O_NONBLOCK");
  }

  ~PtyPort() {
    if (slave_ >= 0) close(slave_);
    if (master_ >= 0) close(master_);
  }

  PtyPort(const PtyPort&) = delete;
  PtyPort& operator=(const PtyPort&) = delete;

  // The path a client opens, e.g. /dev/pts/3.
  const std::string& path() const { return path_; }
  int fd() const { return master_; }

  // Read what the client wrote, up to `max` bytes; 0 when nothing is waiting.
  size_t read_some(uint8_t* buf, size_t max) {
    ssize_t n = ::read(master_, buf, max);
    if (n > 0) return static_cast<size_t>(n);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != EIO) fail("read");
    return 0;
  }

  // Write up to `len` bytes toward the client; returns how many were taken (the pty buffer
  // may be full while the client does not read).
  size_t write_some(const uint8_t* buf, size_t len) {
    ssize_t n = ::write(master_, buf, len);
    if (n > 0) return static_cast<size_t>(n);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != EIO) fail("write");
    return 0;
  }

 private:
  [[noreturn]] static void fail(const char* what) {
    throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
  }

  int master_ = -1;
  int slave_ = -1;
  std::string path_;
};

}  // namespace loci

#endif  // LOCI_PTY_PORT_H

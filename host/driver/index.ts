// SPDX-License-Identifier: Apache-2.0
// Public surface of the host driver: the link protocol, transports and the high-level Board.

export * from "./protocol.ts";
export * from "./errors.ts";
export { crc16, CRC16 } from "./crc.ts";
export * from "./frame.ts";
export { FrameReceiver, FrameSplitter, type Received, type FrameFault } from "./frame-splitter.ts";
export * from "./memory-map.ts";
export { encodeEventWords, EventWordParser } from "./event-words.ts";
export type { Transport, DataListener, CloseListener } from "./transport.ts";
export { SerialTransport } from "./serial-transport.ts";
export { SimTransport, type SimTransportOptions } from "./sim-transport.ts";
export { MockTransport } from "./mock-transport.ts";
export { FaultyTransport, type FaultOptions } from "./fault-injection.ts";
export { VirtualBoard, VirtualBoardTransport, findVirtualBoard } from "./virtual-board.ts";
export { BoardModel, type BoardModelOptions } from "./board-model.ts";
export { LinkClient, type LinkOptions, type LinkStats } from "./client.ts";
export { Board, decodeCapabilities, describeCapacity, type Capabilities, type BoardStatus, type BoardCounters, type FlashReport, type RunResult } from "./board.ts";
export { listPorts, listPortsSysfs, recognise, type PortInfo } from "./port-list.ts";
export { openBoard, transportFor } from "./open-port.ts";
export { loadImage, type LoadedImage } from "./load-image.ts";
export { FrameParser, type Parsed } from "./frame-parser.ts";
export { compareStates, hilOnBoard, type HilCase, type HilMismatch, type HilResult } from "./hil.ts";

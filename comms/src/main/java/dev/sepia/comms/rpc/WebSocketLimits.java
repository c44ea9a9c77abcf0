package dev.sepia.comms.rpc;

/** Sizes both WebSocket libraries are held to. */
final class WebSocketLimits {

  /** A text message (a request or response) may be large: script bodies, a page of log lines. */
  static final int MAX_TEXT_CHARS = 16 * 1024 * 1024;

  /** Frames as large as the largest text message, which the JDK sends as one frame. */
  static final long MAX_FRAME_BYTES = 4L * MAX_TEXT_CHARS;

  /** The WebSocket path on both ports. */
  static final String PATH = "/sepia/comms";

  private WebSocketLimits() {}
}

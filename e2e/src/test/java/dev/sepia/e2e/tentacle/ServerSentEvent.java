package dev.sepia.e2e.tentacle;

import java.util.ArrayList;
import java.util.List;

/**
 * One event of a server-sent-events stream, as a browser's EventSource would hand it over.
 *
 * @param event its type ({@code message} if the server named none)
 * @param id its id, or null
 * @param data its data, lines joined with {@code \n}
 */
public record ServerSentEvent(String event, String id, String data) {

  /** The events of a whole stream, in order; comments and events without data are left out. */
  public static List<ServerSentEvent> parse(String stream) {
    List<ServerSentEvent> events = new ArrayList<>();
    String event = null;
    String id = null;
    StringBuilder data = null;
    // A stream may end its lines with \r\n, \n or \r; a trailing blank line ends the last event.
    for (String line : (stream + "\n\n").split("\r\n|\n|\r", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new ServerSentEvent(event == null ? "message" : event, id, data.toString()));
        }
        event = null;
        id = null;
        data = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> event = value;
        case "id" -> id = value;
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value);
          } else {
            data.append('\n').append(value);
          }
        }
        default -> {
          // "retry" and unknown fields do not matter here.
        }
      }
    }
    return events;
  }
}

package dev.sepia.server.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;

/** One kind of server task ("Health", …): checks its arguments, then does the work. */
public interface TaskKind {
  String name();

  /** A one-line description for the task list; throws IllegalArgumentException on bad input. */
  String describe(JsonNode arguments);

  /** Runs the task, writing progress to the log; an exception fails the task with its message. */
  void run(JsonNode arguments, TaskLog log) throws Exception;
}

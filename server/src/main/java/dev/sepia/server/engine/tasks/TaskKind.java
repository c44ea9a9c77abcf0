package dev.sepia.server.engine.tasks;

import com.fasterxml.jackson.databind.JsonNode;

/** One kind of server task ("Health", "Deploy", …): checks its arguments, then does the work. */
public interface TaskKind {
  String name();

  /** A one-line description for the task list; throws IllegalArgumentException on bad input. */
  String describe(JsonNode arguments);

  /**
   * Runs the task, writing progress to the context's log; an exception fails the task with its
   * message, a {@link TaskCancelledException} ends it as Cancelled.
   */
  void run(JsonNode arguments, TaskContext context) throws Exception;

  /**
   * Queues a new attempt of a finished task. Kinds whose tasks belong to a record (a deployment)
   * override this to make a new record too.
   *
   * @throws TaskRefusedException if the new attempt may not run (the rules changed meanwhile)
   */
  default ServerTask retry(ServerTask finished, String requestedBy, TaskStore store) {
    return store.enqueue(
        finished.name(), finished.description(), finished.arguments(), requestedBy);
  }
}

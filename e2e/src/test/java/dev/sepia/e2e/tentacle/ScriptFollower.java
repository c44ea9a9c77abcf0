package dev.sepia.e2e.tentacle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.comms.contract.ScriptLogLine;
import dev.sepia.comms.contract.ScriptState;
import dev.sepia.comms.contract.ScriptStatus;
import dev.sepia.comms.contract.TentacleClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows one script the way the server does: asks for its status with the lines after the last
 * sequence seen, again and again. Every answer is checked on arrival: its lines continue exactly
 * where the previous answer stopped (sequence numbers increase by one, with no gap and no repeat).
 */
public final class ScriptFollower {
  private static final Duration POLL = Duration.ofMillis(100);

  private final TentacleClient client;
  private final String ticket;
  private final Duration reconnectWithin;
  private final List<ScriptLogLine> lines = new ArrayList<>();
  private ScriptStatus latest;
  private long lastSequence;
  private boolean outputWhileRunning;

  private ScriptFollower(TentacleClient client, String ticket, Duration reconnectWithin) {
    this.client = client;
    this.ticket = ticket;
    this.reconnectWithin = reconnectWithin;
  }

  /** Follows over a connection expected to stay up: any failed call fails the test. */
  public static ScriptFollower follow(TentacleClient client, String ticket) {
    return new ScriptFollower(client, ticket, Duration.ZERO);
  }

  /** Follows across connection losses, retrying each status for up to {@code within}. */
  public static ScriptFollower followAcrossReconnects(
      TentacleClient client, String ticket, Duration within) {
    return new ScriptFollower(client, ticket, within);
  }

  /** Asks once for the state and the lines after the last sequence seen. */
  public ScriptStatus poll() throws IOException {
    long after = lastSequence;
    ScriptStatus status =
        reconnectWithin.isZero()
            ? client.status(ticket, after)
            : Reconnecting.call(reconnectWithin, () -> client.status(ticket, after));
    long expected = after;
    for (ScriptLogLine line : status.logs()) {
      assertThat(line.sequence())
          .as("sequence of %s, asked for lines after %d, in %s", line, after, status)
          .isEqualTo(expected + 1);
      expected = line.sequence();
    }
    assertThat(status.lastSequence()).as("lastSequence of %s", status).isEqualTo(expected);
    if (!status.logs().isEmpty() && status.state() == ScriptState.RUNNING) {
      outputWhileRunning = true;
    }
    lines.addAll(status.logs());
    lastSequence = expected;
    latest = status;
    return status;
  }

  /** Polls until the script has finished and its whole log has been read. */
  public ScriptStatus untilFinished(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      ScriptStatus status = poll();
      // A final state is published after the last line, so one more read finds nothing new.
      if (status.state().isFinished() && status.logs().isEmpty()) {
        return status;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "Script " + ticket + " still not finished after " + timeout + ": " + describe());
      }
      if (!status.state().isFinished()) {
        Waits.pause(POLL);
      }
    }
  }

  /** Polls until an output line contains {@code text}. */
  public ScriptFollower untilOutput(String text, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (lines.stream().noneMatch(line -> line.text().contains(text))) {
      ScriptStatus status = poll();
      if (status.state().isFinished() && status.logs().isEmpty()) {
        throw new AssertionError(
            "Script " + ticket + " finished without printing '" + text + "': " + describe());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "No '" + text + "' from script " + ticket + " within " + timeout + ": " + describe());
      }
      Waits.pause(POLL);
    }
    return this;
  }

  /** Every line read so far, in order. */
  public List<ScriptLogLine> lines() {
    return List.copyOf(lines);
  }

  /** The texts of the lines from this source ({@code stdout}, {@code stderr}, {@code system}). */
  public List<String> texts(String source) {
    return lines.stream()
        .filter(line -> line.source().equals(source))
        .map(ScriptLogLine::text)
        .toList();
  }

  public long lastSequence() {
    return lastSequence;
  }

  /** Whether some answer carried output while the script was still running. */
  public boolean sawOutputWhileRunning() {
    return outputWhileRunning;
  }

  public String describe() {
    StringBuilder text = new StringBuilder("state ");
    text.append(latest == null ? "(not asked yet)" : latest.state() + " exit " + latest.exitCode());
    for (ScriptLogLine line : lines) {
      text.append("\n  ").append(line.sequence()).append(' ').append(line.source()).append(": ");
      text.append(line.text());
    }
    return text.toString();
  }
}

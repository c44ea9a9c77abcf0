package dev.sepia.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.sepia.comms.rpc.PollingClient;
import dev.sepia.comms.tls.TrustRejectionListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Counts polling sockets that came up, so that the first (cold) health check starts once every
 * polling Tentacle is connected instead of measuring their first dial; and counts the certificates
 * the server refused on its comms port, which in this benchmark should be none.
 *
 * <p>Neither the agent nor the server runtime exposes "connected" to a caller, so this listens to
 * the line each polling socket logs when it opens ("Polling connection 1 of 2 to the server at … is
 * up"), through an appender of its own on that one logger, which therefore logs at INFO to this
 * appender and passes on only its warnings. If that wording changes, {@link #await} times out and
 * says so; it never blocks the benchmark for longer than it is told. Refusals are counted on the
 * logger of {@link TrustRejectionListener#LOG}, which in this JVM only the server uses.
 */
final class PollingReadiness implements AutoCloseable {
  private static final String UP = " is up";

  private final Logger pollingLog;
  private final Logger rejectionLog;
  private final Level previousLevel;
  private final boolean previousAdditive;
  private final Counter up = new Counter();
  private final Counter refused = new Counter();

  PollingReadiness() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException("The benchmark needs Logback as the SLF4J backend");
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    pollingLog = context.getLogger(PollingClient.class);
    previousLevel = pollingLog.getLevel();
    previousAdditive = pollingLog.isAdditive();
    up.start(context, event -> event.getFormattedMessage().contains(UP), root);
    pollingLog.addAppender(up);
    pollingLog.setLevel(Level.INFO);
    pollingLog.setAdditive(false); // INFO lines to the counter only; not 1000 on the console

    rejectionLog = context.getLogger(TrustRejectionListener.class);
    refused.start(context, event -> event.getLevel().isGreaterOrEqual(Level.WARN), null);
    rejectionLog.addAppender(refused); // additive as before: the warnings still show
  }

  /** Polling sockets that came up so far. */
  int connected() {
    return up.count.get();
  }

  /** TLS handshakes the server refused because it did not trust the peer's certificate. */
  int refusedByServer() {
    return refused.count.get();
  }

  /** Waits until {@code expected} sockets came up or {@code limit} passed; true if they all did. */
  boolean await(int expected, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (up.count.get() < expected) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void close() {
    pollingLog.detachAppender(up);
    pollingLog.setLevel(previousLevel);
    pollingLog.setAdditive(previousAdditive);
    rejectionLog.detachAppender(refused);
    up.stop();
    refused.stop();
  }

  /** Counts matching events; passes warnings on to {@code forwardWarningsTo}, if given. */
  private static final class Counter extends AppenderBase<ILoggingEvent> {
    final AtomicInteger count = new AtomicInteger();
    private Predicate<ILoggingEvent> matches;
    private Logger forwardWarningsTo;

    void start(LoggerContext context, Predicate<ILoggingEvent> matches, Logger forwardWarningsTo) {
      this.matches = matches;
      this.forwardWarningsTo = forwardWarningsTo;
      setContext(context);
      start();
    }

    @Override
    protected void append(ILoggingEvent event) {
      if (matches.test(event)) {
        count.incrementAndGet();
      }
      if (forwardWarningsTo != null && event.getLevel().isGreaterOrEqual(Level.WARN)) {
        forwardWarningsTo.callAppenders(event); // a failure to connect is a finding: show it
      }
    }
  }
}

package dev.sepia.server.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.TestServer;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.startup.ServerRuntime;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The start-up log warns while the current master key is not backed up, and stops once it is. */
class StartUpReminderTest {
  @TempDir Path temp;

  @Test
  void theStartUpLog_warnsUntilTheKeyIsShown() {
    EscrowFixture f =
        EscrowFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    f.old(
        "configure",
        "--webListenPrefixes",
        "http://127.0.0.1:" + TestServer.freePort(),
        "--commsListenPort",
        Integer.toString(TestServer.freePort()));
    String keyId = f.oldKey().keyId();

    List<String> before = warningsOfAStart(f);
    assertThat(before)
        .singleElement()
        .asString()
        .contains("The master key of this server (key id " + keyId + ") has not been backed up")
        .contains("sepia-server show-master-key --instance Old --shares 5 --threshold 3")
        .contains("export-master-key --instance Old --file FILE");

    f.old("show-master-key", "--shares", "3", "--threshold", "2");

    assertThat(warningsOfAStart(f)).isEmpty();
  }

  private static List<String> warningsOfAStart(EscrowFixture f) {
    Logger logger = (Logger) LoggerFactory.getLogger(MasterKeyEscrow.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      ServerEnvironment environment = new ServerEnvironment(f.oldEnv);
      InstanceRecord record = environment.registry().resolve(EscrowFixture.OLD);
      try (ServerRuntime runtime = ServerRuntime.start(environment, record)) {
        assertThat(runtime.webPort()).as("the server started").isPositive();
        return appender.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
      }
    } finally {
      logger.detachAppender(appender);
    }
  }
}

package dev.sepia.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server nodes in different time zones share one database: a point in time one of them writes is
 * the same point for the others. (Stored as local time, a heartbeat written in New York would look
 * fourteen hours old in Tokyo, and a running node dead to a rotation waiting for it.) Only
 * PostgreSQL is shared by nodes; an embedded H2 database belongs to one process, one zone.
 */
class NodesInOtherTimeZonesTest {
  private static final TimeZone ORIGINAL = TimeZone.getDefault();
  @TempDir Path temp;

  @AfterEach
  void restoreTimeZone() {
    TimeZone.setDefault(ORIGINAL);
  }

  @Test
  void aHeartbeatWrittenInNewYork_isRecentInTokyo() {
    String url = TestDatabases.emptyDatabase(DatabaseKind.POSTGRESQL, temp);
    try (Database db = Database.open(url, true)) {
      new Schema(db).migrate();
    }
    Instant before = Instant.now();

    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    try (Database newYork = Database.open(url, false)) {
      new ServerNodes(newYork.jdbi())
          .started("node-ny", ServerNodes.hostName(), ProcessHandle.current().pid(), "http://ny");
    }

    TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
    try (Database tokyo = Database.open(url, false)) {
      var live = new ServerNodes(tokyo.jdbi()).live();
      assertThat(live).extracting(ServerNodes.Node::name).containsExactly("node-ny");
      Instant seen = live.get(0).lastSeenAt();
      assertThat(Duration.between(before, seen).abs()).isLessThan(Duration.ofMinutes(1));
    }
  }
}

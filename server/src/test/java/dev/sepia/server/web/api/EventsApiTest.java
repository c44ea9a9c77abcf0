package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.web.api.ApiHarness.Response;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/events: the audit log, newest first, filtered and paged. */
class EventsApiTest {
  @TempDir static Path temp;
  static ApiHarness api;

  @BeforeAll
  static void start() {
    api = new ApiHarness(temp);
    // Events at known times: one a day for five days, in two categories and by two actors.
    api.jdbi()
        .useHandle(
            h -> {
              for (int day = 1; day <= 5; day++) {
                h.createUpdate(
                        "INSERT INTO events (occurred_at, actor, category, message)"
                            + " VALUES (:at, :actor, :category, :message)")
                    .bind("at", Instant.parse("2024-03-0" + day + "T12:00:00Z"))
                    .bind("actor", day % 2 == 0 ? "alice" : "bob")
                    .bind("category", day <= 3 ? "MachineCreated" : "MachineDeleted")
                    .bind("message", "event of day " + day)
                    .execute();
              }
            });
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static List<String> messages(Response r) {
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.body().get("items").findValuesAsText("message");
  }

  @Test
  void newestFirst_withPaging() {
    Response page = api.get(api.viewerKey, "/api/events?to=2024-03-06T00:00:00Z&take=2&skip=1");
    assertThat(messages(page)).containsExactly("event of day 4", "event of day 3");
    assertThat(page.body().get("totalResults").asInt()).isEqualTo(5);
    assertThat(page.body().get("skip").asInt()).isEqualTo(1);
    assertThat(page.body().get("take").asInt()).isEqualTo(2);
    JsonNode first = page.body().at("/items/0");
    assertThat(first.get("occurredAt").asText()).isEqualTo("2024-03-04T12:00:00Z");
    assertThat(first.get("actor").asText()).isEqualTo("alice");
    assertThat(first.get("category").asText()).isEqualTo("MachineDeleted");
    assertThat(first.get("id").asLong()).isPositive();
  }

  @Test
  void filtersByCategoryActorAndTime() {
    assertThat(messages(api.get(api.viewerKey, "/api/events?category=machinecreated")))
        .containsExactly("event of day 3", "event of day 2", "event of day 1");
    assertThat(messages(api.get(api.viewerKey, "/api/events?actor=alice")))
        .containsExactly("event of day 4", "event of day 2");
    assertThat(
            messages(
                api.get(
                    api.viewerKey,
                    "/api/events?from=2024-03-02T12:00:00Z&to=2024-03-04T12:00:00Z")))
        .containsExactly("event of day 3", "event of day 2");
    assertThat(
            messages(
                api.get(
                    api.viewerKey,
                    "/api/events?category=MachineDeleted&actor=bob&from=2024-03-01T00:00:00Z")))
        .containsExactly("event of day 5");
  }

  @Test
  void newChangesAppearOnTop() {
    new AuditLog(api.jdbi()).record("carol", "AccountCreated", "just now");
    Response latest = api.get(api.viewerKey, "/api/events?take=1");
    assertThat(messages(latest)).containsExactly("just now");
  }

  @Test
  void badFilters_are400() {
    Response bad = api.get(api.viewerKey, "/api/events?from=yesterday");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().get("error").asText()).contains("ISO-8601").contains("yesterday");
    assertThat(api.get(api.viewerKey, "/api/events?to=2024-03-01").status()).isEqualTo(400);
    assertThat(
            api.get(api.viewerKey, "/api/events?from=2024-03-05T00:00:00Z&to=2024-03-01T00:00:00Z")
                .status())
        .isEqualTo(400);
    assertThat(api.get(api.viewerKey, "/api/events?take=0").status()).isEqualTo(400);
    assertThat(api.get(null, "/api/events").status()).isEqualTo(401);
  }
}

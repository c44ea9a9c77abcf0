package dev.sepia.comms.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The JSON messages as the wire carries them. */
class MessagesTest {

  private final UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");

  @Test
  void request_hasTheDocumentedShape() throws Exception {
    String json =
        Messages.request(
            id, "scripts.start", JsonNodeFactory.instance.objectNode().put("a", 1), false);

    assertThat(json)
        .isEqualTo(
            "{\"id\":\"00000000-0000-0000-0000-000000000001\",\"method\":\"scripts.start\","
                + "\"params\":{\"a\":1},\"bodyFollows\":false}");
    assertThat(Messages.parse(json))
        .isInstanceOfSatisfying(
            Messages.Request.class, r -> assertThat(r.method()).isEqualTo("scripts.start"));
  }

  @Test
  void errorResponse_carriesTypeAndMessage() throws Exception {
    String json = Messages.error(id, "UnknownTicket", "no such ticket");

    assertThat(json)
        .contains("\"error\":{\"type\":\"UnknownTicket\",\"message\":\"no such ticket\"}");
    assertThat(Messages.parse(json))
        .isInstanceOfSatisfying(
            Messages.Response.class,
            r -> {
              assertThat(r.failed()).isTrue();
              assertThat(r.errorType()).isEqualTo("UnknownTicket");
            });
  }

  @Test
  void streamControls_roundTrip() throws Exception {
    assertThat(Messages.parse(Messages.credit(id, 8))).isEqualTo(new Messages.Credit(id, 8));
    assertThat(Messages.parse(Messages.cancel(id))).isEqualTo(new Messages.Cancel(id));
    assertThat(Messages.parse(Messages.streamError(id, "disk")))
        .isEqualTo(new Messages.StreamError(id, "disk"));
  }

  @Test
  void garbage_isAProtocolViolation() {
    assertThatThrownBy(() -> Messages.parse("not json"))
        .isInstanceOf(Messages.ProtocolViolation.class);
    assertThatThrownBy(() -> Messages.parse("{\"id\":\"x\",\"method\":\"m\"}"))
        .isInstanceOf(Messages.ProtocolViolation.class);
    assertThatThrownBy(() -> Messages.parse("{\"id\":\"" + id + "\",\"credit\":0}"))
        .isInstanceOf(Messages.ProtocolViolation.class);
  }
}

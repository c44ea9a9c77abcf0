package dev.sepia.comms.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the operator reads when a certificate is refused. */
class PeerRejectionTest {

  private static final String OLD = "A".repeat(64);
  private static final String NEW = "B".repeat(64);

  @Test
  void tentacleRefusingAServer_namesBothThumbprints_andTheCommandThatFixesIt() {
    PeerRejection r =
        new PeerRejection("tentacle", "10.0.0.5:51234", NEW, "CN=Sepia Server", Set.of(OLD));

    assertThat(r.describe())
        .isEqualTo(
            "A server at 10.0.0.5:51234 presented a certificate with thumbprint '"
                + NEW
                + "' (CN=Sepia Server), which this Tentacle does not trust. Trusted thumbprints: "
                + OLD
                + ". If the server's certificate was replaced, run on this Tentacle:"
                + " sepia-tentacle configure --trust="
                + NEW
                + " (or --reset-trust --trust="
                + NEW
                + " to trust only it), then restart the Tentacle.");
  }

  @Test
  void serverRefusingATentacle_saysWhatToUpdateOnTheServer() {
    PeerRejection r = new PeerRejection("server", "10.0.0.9:40000", NEW, "CN=web01", Set.of(OLD));

    assertThat(r.describe())
        .startsWith("A Tentacle at 10.0.0.9:40000 presented a certificate with thumbprint '" + NEW)
        .contains("which this server does not trust")
        .contains("register it or update its thumbprint to " + NEW + " on the server");
  }

  @Test
  void clientWithoutCertificate_isDescribedAsSuch() {
    PeerRejection r = new PeerRejection("server", null, null, null, Set.of(OLD));

    assertThat(r.peerAddress()).isEqualTo("unknown");
    assertThat(r.describe())
        .startsWith("A Tentacle at unknown connected but presented no client certificate");
  }

  @Test
  void aServerTrustingThousandsOfTentacles_listsAFewAndCountsTheRest() {
    Set<String> many =
        IntStream.range(0, 1000)
            .mapToObj(i -> String.format("%064X", i))
            .collect(Collectors.toSet());

    String message = new PeerRejection("server", "h:1", NEW, "CN=x", many).describe();

    assertThat(message).contains("and 995 more").hasSizeLessThan(1000);
  }

  @Test
  void unknownRole_isRefused() {
    assertThatThrownBy(() -> new PeerRejection("worker", "h:1", NEW, "CN=x", Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.sepia.tentacle.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedServersTest {
  static final String A = "AA".repeat(32);
  static final String B = "BB".repeat(32);
  static final String C = "CC".repeat(32);

  @Test
  void add_isIdempotent_andKeepsOrder() {
    TrustedServers servers = TrustedServers.empty().add(A).add(B).add(A);
    assertThat(servers.entries())
        .containsExactly(TrustedServer.listening(A), TrustedServer.listening(B));
  }

  @Test
  void add_ofAPolledServer_doesNotAddAListeningEntry() {
    TrustedServers servers =
        TrustedServers.empty().setServerComms(A, CommunicationStyle.TENTACLE_ACTIVE, "s", 10943);
    assertThat(servers.add(A)).isEqualTo(servers);
  }

  @Test
  void remove_dropsEveryEntryOfThatThumbprint() {
    TrustedServers servers =
        TrustedServers.of(
            List.of(
                TrustedServer.listening(A),
                new TrustedServer(
                    A, CommunicationStyle.TENTACLE_ACTIVE, URI.create("https://n1:10943/")),
                TrustedServer.listening(B)));
    assertThat(servers.remove(A).entries()).containsExactly(TrustedServer.listening(B));
    assertThat(servers.remove(C)).isEqualTo(servers);
  }

  @Test
  void reset_trustsNoOne() {
    assertThat(TrustedServers.empty().add(A).reset().isEmpty()).isTrue();
  }

  @Test
  void updateTrust_replacesTheThumbprintInEveryMatchingEntry() {
    URI n1 = URI.create("https://n1:10943/");
    URI n2 = URI.create("https://n2:10943/");
    TrustedServers servers =
        TrustedServers.of(
            List.of(
                new TrustedServer(A, CommunicationStyle.TENTACLE_ACTIVE, n1),
                TrustedServer.listening(B),
                new TrustedServer(A, CommunicationStyle.TENTACLE_ACTIVE, n2)));

    TrustedServers updated = servers.updateTrust(A, C);

    assertThat(updated.entries())
        .containsExactly(
            new TrustedServer(C, CommunicationStyle.TENTACLE_ACTIVE, n1),
            TrustedServer.listening(B),
            new TrustedServer(C, CommunicationStyle.TENTACLE_ACTIVE, n2));
  }

  @Test
  void updateTrust_toAThumbprintAlreadyTrusted_leavesNoDuplicate() {
    TrustedServers servers = TrustedServers.empty().add(A).add(B);
    assertThat(servers.updateTrust(A, B).entries()).containsExactly(TrustedServer.listening(B));
  }

  @Test
  void setServerComms_makesOneEntryForTheServer() {
    TrustedServers servers = TrustedServers.empty().add(A).add(B);

    TrustedServers polling =
        servers.setServerComms(A, CommunicationStyle.TENTACLE_ACTIVE, "deploy", 10943);

    assertThat(polling.entries())
        .containsExactly(
            new TrustedServer(
                A, CommunicationStyle.TENTACLE_ACTIVE, URI.create("https://deploy:10943/")),
            TrustedServer.listening(B));
    assertThat(polling.polling()).hasSize(1);
    assertThat(
            polling.setServerComms(A, CommunicationStyle.TENTACLE_PASSIVE, null, 10943).entries())
        .containsExactly(TrustedServer.listening(A), TrustedServer.listening(B));
    assertThat(servers.setServerComms(C, CommunicationStyle.TENTACLE_ACTIVE, "::1", 1).entries())
        .last()
        .extracting(TrustedServer::address)
        .isEqualTo(URI.create("https://[::1]:1/"));
  }

  @Test
  void httpsAddress_refusesWhatIsNotAHost() {
    for (String bad : new String[] {"", " ", "https://x", "x/y", "user@x"}) {
      assertThatThrownBy(() -> TrustedServers.httpsAddress(bad, 10943))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> TrustedServers.httpsAddress("x", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void json_roundTrips_inTheDocumentedShape() {
    TrustedServers servers =
        TrustedServers.empty()
            .add(A)
            .setServerComms(B, CommunicationStyle.TENTACLE_ACTIVE, "deploy", 10943);

    String json = servers.toJson();

    assertThat(json)
        .isEqualTo(
            "[{\"thumbprint\":\""
                + A
                + "\",\"communicationStyle\":\"TentaclePassive\"},{\"thumbprint\":\""
                + B
                + "\",\"communicationStyle\":\"TentacleActive\",\"address\":\"https://deploy:10943/\"}]");
    assertThat(TrustedServers.parse(json)).isEqualTo(servers);
  }

  @Test
  void parse_normalisesHandEditedEntries_andRefusesBrokenOnes() {
    TrustedServers parsed =
        TrustedServers.parse(
            "[{\"thumbprint\": \""
                + A.toLowerCase()
                + "\", \"communicationStyle\": \"tentaclepassive\"}]");
    assertThat(parsed.entries()).containsExactly(TrustedServer.listening(A));
    assertThat(TrustedServers.parse("").isEmpty()).isTrue();

    for (String bad :
        new String[] {
          "{}",
          "[{}]",
          "not json",
          "[{\"thumbprint\": \"xyz\"}]",
          "[{\"thumbprint\": \"" + A + "\", \"communicationStyle\": \"Sideways\"}]"
        }) {
      assertThatThrownBy(() -> TrustedServers.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}

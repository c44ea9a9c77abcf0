package dev.sepia.tentacle.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.crypto.Certificates;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The servers a Tentacle trusts, in the order they were added. Immutable: every operation returns a
 * new list, so a command can compute the whole change, check it, and only then save it.
 *
 * <p>Stored in the config as a JSON array of {@code {"thumbprint", "communicationStyle",
 * "address"}} (address for polling entries only). Thumbprints are kept upper-case; callers pass
 * them through {@link Certificates#normalizeThumbprint} first.
 */
public final class TrustedServers {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TrustedServers EMPTY = new TrustedServers(List.of());

  private final List<TrustedServer> entries;

  private TrustedServers(List<TrustedServer> entries) {
    this.entries = List.copyOf(entries);
  }

  public static TrustedServers empty() {
    return EMPTY;
  }

  public static TrustedServers of(List<TrustedServer> entries) {
    return new TrustedServers(dedupe(entries));
  }

  /**
   * Reads the config form.
   *
   * @throws IllegalArgumentException saying what is wrong, without guessing
   */
  public static TrustedServers parse(String json) {
    if (json == null || json.isBlank()) {
      return EMPTY;
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("it is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("it is not a JSON array of trusted servers");
    }
    List<TrustedServer> list = new ArrayList<>();
    for (JsonNode node : root) {
      list.add(parseEntry(node));
    }
    return new TrustedServers(dedupe(list));
  }

  private static TrustedServer parseEntry(JsonNode node) {
    if (!node.isObject() || !node.path("thumbprint").isTextual()) {
      throw new IllegalArgumentException("an entry has no text \"thumbprint\": " + node);
    }
    String thumbprint = Certificates.normalizeThumbprint(node.get("thumbprint").asText());
    JsonNode styleNode = node.path("communicationStyle");
    CommunicationStyle style =
        styleNode.isTextual()
            ? CommunicationStyle.parse(styleNode.asText())
            : CommunicationStyle.TENTACLE_PASSIVE;
    JsonNode addressNode = node.path("address");
    URI address = null;
    if (addressNode.isTextual() && !addressNode.asText().isBlank()) {
      try {
        address = new URI(addressNode.asText());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "the address of " + thumbprint + " is not a valid URL: " + addressNode.asText());
      }
    }
    return new TrustedServer(thumbprint, style, address);
  }

  /** The config form: a compact JSON array. */
  public String toJson() {
    ArrayNode array = JSON.createArrayNode();
    for (TrustedServer server : entries) {
      ObjectNode node = array.addObject();
      node.put("thumbprint", server.thumbprint());
      node.put("communicationStyle", server.communicationStyle().configName());
      if (server.address() != null) {
        node.put("address", server.address().toString());
      }
    }
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write the trusted servers as JSON", e);
    }
  }

  public List<TrustedServer> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Every trusted thumbprint, each once, in order. */
  public Set<String> thumbprints() {
    Set<String> out = new LinkedHashSet<>();
    entries.forEach(e -> out.add(e.thumbprint()));
    return out;
  }

  public boolean trusts(String thumbprint) {
    return entries.stream().anyMatch(e -> e.thumbprint().equals(thumbprint));
  }

  /** The entries this Tentacle polls. */
  public List<TrustedServer> polling() {
    return entries.stream().filter(TrustedServer::polls).toList();
  }

  /** Trusts no server at all ({@code configure --reset-trust}). */
  public TrustedServers reset() {
    return EMPTY;
  }

  /** Stops trusting {@code thumbprint}, whichever way it was reached. */
  public TrustedServers remove(String thumbprint) {
    return new TrustedServers(
        entries.stream().filter(e -> !e.thumbprint().equals(thumbprint)).toList());
  }

  /**
   * Trusts {@code thumbprint} as a server that connects to this Tentacle; does nothing if it is
   * trusted already (in any style).
   */
  public TrustedServers add(String thumbprint) {
    if (trusts(thumbprint)) {
      return this;
    }
    List<TrustedServer> list = new ArrayList<>(entries);
    list.add(TrustedServer.listening(thumbprint));
    return new TrustedServers(list);
  }

  /**
   * Replaces {@code oldThumbprint} with {@code newThumbprint} in every entry that has it, keeping
   * each entry's style and address (a server's new certificate, reached the same way).
   */
  public TrustedServers updateTrust(String oldThumbprint, String newThumbprint) {
    List<TrustedServer> list = new ArrayList<>();
    for (TrustedServer e : entries) {
      list.add(
          e.thumbprint().equals(oldThumbprint)
              ? new TrustedServer(newThumbprint, e.communicationStyle(), e.address())
              : e);
    }
    return new TrustedServers(dedupe(list));
  }

  /**
   * Sets how this Tentacle talks to the server with {@code thumbprint}: the entries for it become
   * one, polling {@code https://host:port/} for {@link CommunicationStyle#TENTACLE_ACTIVE}, or
   * listening (no address) for {@link CommunicationStyle#TENTACLE_PASSIVE}. The server is trusted
   * if it was not already.
   *
   * @param host ignored for listening
   * @throws IllegalArgumentException if the host or port is not usable
   */
  public TrustedServers setServerComms(
      String thumbprint, CommunicationStyle style, String host, int port) {
    URI address = style == CommunicationStyle.TENTACLE_ACTIVE ? httpsAddress(host, port) : null;
    TrustedServer replacement = new TrustedServer(thumbprint, style, address);
    List<TrustedServer> list = new ArrayList<>();
    boolean placed = false;
    for (TrustedServer e : entries) {
      if (!e.thumbprint().equals(thumbprint)) {
        list.add(e);
      } else if (!placed) {
        list.add(replacement);
        placed = true;
      }
    }
    if (!placed) {
      list.add(replacement);
    }
    return new TrustedServers(list);
  }

  /**
   * {@code https://host:port/}: the address a polling Tentacle dials, or at which a server reaches
   * a listening one.
   *
   * @throws IllegalArgumentException if the host is not a plain host name or IP address
   */
  public static URI httpsAddress(String host, int port) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("A host name is needed.");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("The port must be between 1 and 65535; got " + port + ".");
    }
    String h = host.trim();
    if (h.contains("/") || h.contains("@") || h.contains("?") || h.contains("#")) {
      throw new IllegalArgumentException(
          "'" + host + "' is not a host name: give only the host, e.g. deploy.example.com.");
    }
    try {
      URI uri = new URI("https", null, h, port, "/", null, null);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("'" + host + "' is not a valid host name.");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + host + "' is not a valid host name.");
    }
  }

  // Two identical entries (same thumbprint, style and address) are one.
  private static List<TrustedServer> dedupe(List<TrustedServer> list) {
    return List.copyOf(new LinkedHashSet<>(list));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedServers other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "TrustedServers" + entries;
  }
}

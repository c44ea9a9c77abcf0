package dev.sepia.server.comms;

import dev.sepia.comms.tls.TrustedThumbprints;
import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The polling Tentacles the server accepts, read from the database and refreshed whenever a target
 * changes, so registering a polling Tentacle needs no restart.
 */
final class LiveTrust implements TrustedThumbprints {
  private final Supplier<Collection<String>> source;
  private volatile Set<String> current = Set.of();

  LiveTrust(Supplier<Collection<String>> source) {
    this.source = source;
    refresh();
  }

  /** Synchronized so that two target changes at once cannot leave the older set in place. */
  synchronized void refresh() {
    current = Set.copyOf(source.get());
  }

  @Override
  public boolean isTrusted(String thumbprint) {
    return thumbprint != null && current.contains(thumbprint);
  }

  @Override
  public Set<String> all() {
    return current;
  }
}

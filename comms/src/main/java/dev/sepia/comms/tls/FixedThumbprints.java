package dev.sepia.comms.tls;

import dev.sepia.crypto.Certificates;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** An immutable set of thumbprints, normalised once. */
final class FixedThumbprints implements TrustedThumbprints {

  private final Set<String> thumbprints;

  FixedThumbprints(Collection<String> thumbprints) {
    this.thumbprints =
        thumbprints.stream()
            .map(Certificates::normalizeThumbprint)
            .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public boolean isTrusted(String thumbprint) {
    return thumbprint != null && thumbprints.contains(thumbprint.toUpperCase(Locale.ROOT));
  }

  @Override
  public Set<String> all() {
    return thumbprints;
  }

  @Override
  public String toString() {
    return "TrustedThumbprints" + thumbprints;
  }
}

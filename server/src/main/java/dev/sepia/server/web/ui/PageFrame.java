package dev.sepia.server.web.ui;

/**
 * What the layout of every page needs.
 *
 * @param section the navigation entry to mark as current ("projects", "infrastructure", …)
 * @param csrfToken the browser session's token, which sepia.js sends with every change
 * @param masterKeyBanner whether to remind administrators to back up the master key: set while the
 *     database's current key has not been escrowed
 * @param masterKeyId the current master key's id while the banner shows, else empty
 */
public record PageFrame(
    String title,
    String section,
    String username,
    String roleName,
    boolean administrator,
    boolean deployer,
    String csrfToken,
    boolean masterKeyBanner,
    String masterKeyId,
    String instanceName) {

  /** The attribute value for a navigation link: "page" when it is the current section. */
  public String current(String navSection) {
    return navSection.equals(section) ? "page" : null;
  }
}

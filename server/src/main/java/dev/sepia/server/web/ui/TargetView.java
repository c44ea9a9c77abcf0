package dev.sepia.server.web.ui;

import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.Connectivity;
import dev.sepia.server.model.machines.Machine;

/** A target as the infrastructure pages show it: its style and connectivity in words. */
public record TargetView(Machine machine) {
  /** What the text before a reason's commands ends with. */
  private static final String RUN_ON_TENTACLE = "On the Tentacle run:";

  public String styleText() {
    return styleText(machine.communicationStyle());
  }

  public static String styleText(CommunicationStyle style) {
    return switch (style) {
      case TentaclePassive -> "Listening Tentacle";
      case TentacleActive -> "Polling Tentacle";
      case Ssh -> "SSH";
      case OfflineDrop -> "Offline package drop";
    };
  }

  public String health() {
    return machine.healthStatus().name();
  }

  public String healthText() {
    return switch (machine.healthStatus()) {
      case Unknown -> "Unknown";
      case Healthy -> "Healthy";
      case HasWarnings -> "Has warnings";
      case Unhealthy -> "Unhealthy";
      case Unavailable -> "Unavailable";
    };
  }

  public String connectivityText() {
    return switch (machine.connectivity()) {
      case Unknown -> "Not checked yet";
      case Connected -> "Connected";
      case Unreachable -> "Unreachable: nothing answered";
      case RefusesServerCertificate -> "Refuses this server's certificate";
      case PresentedUnexpectedCertificate -> "Presented a certificate this server does not expect";
      case Error -> "Error";
    };
  }

  /** Whether the reason holds the commands that make the Tentacle trust this server again. */
  public boolean refusesServer() {
    return machine.connectivity() == Connectivity.RefusesServerCertificate;
  }

  /**
   * The commands in the reason ("… On the Tentacle run: A; B; C"), one a line, ready to copy; empty
   * when the reason names none.
   */
  public String fixCommands() {
    String reason = reason();
    int at = reason.indexOf(RUN_ON_TENTACLE);
    if (at < 0) {
      return "";
    }
    return String.join(
        "\n",
        java.util.Arrays.stream(reason.substring(at + RUN_ON_TENTACLE.length()).split(";"))
            .map(String::trim)
            .filter(c -> !c.isEmpty())
            .toList());
  }

  public String reason() {
    return machine.healthReason() == null ? "" : machine.healthReason();
  }

  public String checkedAt() {
    return WhenText.of(machine.healthCheckedAt());
  }

  public String environmentsText() {
    return machine.environments().isEmpty() ? "—" : String.join(", ", machine.environments());
  }

  public String rolesText() {
    return machine.roles().isEmpty() ? "—" : String.join(", ", machine.roles());
  }

  /** Where the target is: its address, SSH host or drop folder. */
  public String whereText() {
    if (machine.ssh() != null) {
      return machine.ssh().host() + ":" + machine.ssh().port();
    }
    if (machine.dropFolder() != null) {
      return machine.dropFolder();
    }
    if (machine.uri() != null) {
      return machine.uri();
    }
    return machine.communicationStyle() == CommunicationStyle.TentacleActive
        ? "polls this server"
        : "—";
  }
}

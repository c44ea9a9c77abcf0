package dev.sepia.server.engine.health;

import dev.sepia.comms.contract.Capabilities;
import dev.sepia.comms.contract.TentacleClient;
import dev.sepia.comms.rpc.PeerUntrustedException;
import dev.sepia.comms.rpc.RemoteException;
import dev.sepia.comms.rpc.RpcChannel;
import dev.sepia.comms.rpc.RpcException;
import dev.sepia.comms.rpc.TrustRefusedByPeerException;
import dev.sepia.comms.rpc.UnreachableException;
import dev.sepia.server.comms.ServerComms;
import dev.sepia.server.engine.ssh.SshFailure;
import dev.sepia.server.engine.ssh.SshTargetConnections;
import dev.sepia.server.engine.ssh.SshTargets;
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.Connectivity;
import dev.sepia.server.model.machines.HealthStatus;
import dev.sepia.server.model.machines.Machine;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks one target. Tells apart a Tentacle that refuses the server's certificate (one command on
 * the Tentacle fixes it) from one that presented an unexpected certificate and from one that cannot
 * be reached at all.
 */
public final class TargetHealthChecker {
  private final ServerComms comms;
  private final SshTargets ssh;
  private final SshTargetConnections sshConnections;

  public TargetHealthChecker(
      ServerComms comms, SshTargets ssh, SshTargetConnections sshConnections) {
    this.comms = comms;
    this.ssh = ssh;
    this.sshConnections = sshConnections;
  }

  public HealthResult check(Machine machine) {
    return switch (machine.communicationStyle()) {
      case TentaclePassive, TentacleActive -> checkTentacle(machine);
      case Ssh -> checkSsh(machine);
      case OfflineDrop -> checkDropFolder(machine);
    };
  }

  private HealthResult checkSsh(Machine machine) {
    SshTargetConnections.Connection connection = null;
    try {
      connection = sshConnections.forTarget(machine);
      String system = ssh.check(connection.endpoint(), connection.credentials());
      return new HealthResult(
          HealthStatus.Healthy, Connectivity.Connected, "SSH: " + system + " answered.", null);
    } catch (SshFailure e) {
      Connectivity connectivity =
          switch (e.kind()) {
            case UNREACHABLE -> Connectivity.Unreachable;
            case HOST_KEY_MISMATCH -> Connectivity.PresentedUnexpectedCertificate;
            default -> Connectivity.Error;
          };
      return new HealthResult(HealthStatus.Unavailable, connectivity, e.getMessage(), null);
    } finally {
      if (connection != null) {
        connection.wipe();
      }
    }
  }

  /** An offline drop target is healthy when the server can write bundles into its folder. */
  private static HealthResult checkDropFolder(Machine machine) {
    Path folder = Path.of(machine.dropFolder());
    if (!Files.isDirectory(folder)) {
      return new HealthResult(
          HealthStatus.Unavailable,
          Connectivity.Error,
          "The drop folder "
              + folder
              + " does not exist on the server. Create it (mkdir -p "
              + folder
              + ") and let the server's user write to it.",
          null);
    }
    if (!Files.isWritable(folder)) {
      return new HealthResult(
          HealthStatus.Unavailable,
          Connectivity.Error,
          "The server cannot write to the drop folder " + folder + "; give its user write access.",
          null);
    }
    return new HealthResult(
        HealthStatus.Healthy,
        Connectivity.Connected,
        "Bundles can be written to " + folder + ".",
        null);
  }

  private HealthResult checkTentacle(Machine machine) {
    try (RpcChannel channel = comms.channelFor(machine)) {
      Capabilities capabilities = new TentacleClient(channel).capabilities();
      return new HealthResult(
          HealthStatus.Healthy,
          Connectivity.Connected,
          "Tentacle " + capabilities.agentVersion() + " on " + capabilities.os() + " answered.",
          capabilities.agentVersion());
    } catch (TrustRefusedByPeerException e) {
      return new HealthResult(
          HealthStatus.Unavailable,
          Connectivity.RefusesServerCertificate,
          "The Tentacle refused this server's certificate (thumbprint "
              + comms.thumbprint()
              + "). "
              + fixTrustCommand(),
          null);
    } catch (PeerUntrustedException e) {
      return new HealthResult(
          HealthStatus.Unavailable,
          Connectivity.PresentedUnexpectedCertificate,
          "The Tentacle presented a certificate this server does not expect: "
              + e.getMessage()
              + " If the Tentacle's certificate was replaced, update the target's thumbprint.",
          null);
    } catch (UnreachableException e) {
      return new HealthResult(
          HealthStatus.Unavailable, Connectivity.Unreachable, unreachableReason(machine, e), null);
    } catch (RemoteException e) {
      return new HealthResult(
          HealthStatus.Unhealthy,
          Connectivity.Connected,
          "The Tentacle answered with an error: " + e.getMessage(),
          null);
    } catch (RpcException e) {
      return new HealthResult(HealthStatus.Unavailable, Connectivity.Error, e.getMessage(), null);
    } catch (RuntimeException e) {
      return new HealthResult(
          HealthStatus.Unavailable,
          Connectivity.Error,
          "The check failed: " + e.getMessage(),
          null);
    }
  }

  private String fixTrustCommand() {
    return "On the Tentacle run: sepia-tentacle service --stop; sepia-tentacle configure"
        + " --reset-trust --trust="
        + comms.thumbprint()
        + "; sepia-tentacle service --start";
  }

  private String unreachableReason(Machine machine, UnreachableException e) {
    if (machine.communicationStyle() == CommunicationStyle.TentacleActive) {
      return "The polling Tentacle has not connected to this server within "
          + ServerComms.POLLING_WAIT.toSeconds()
          + " s. Check that its agent runs and can reach this server's comms port. If this"
          + " server's certificate was replaced, the Tentacle refuses to connect until you run"
          + " on it: sepia-tentacle service --stop; sepia-tentacle configure --reset-trust"
          + " --trust="
          + comms.thumbprint()
          + "; sepia-tentacle service --start";
    }
    return e.getMessage()
        + " Check that the Tentacle runs and that the address and port are right.";
  }
}

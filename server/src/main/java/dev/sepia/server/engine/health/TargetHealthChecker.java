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
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.Connectivity;
import dev.sepia.server.model.machines.HealthStatus;
import dev.sepia.server.model.machines.Machine;

/**
 * Checks one target. Tells apart a Tentacle that refuses the server's certificate (one command on
 * the Tentacle fixes it) from one that presented an unexpected certificate and from one that cannot
 * be reached at all.
 */
public final class TargetHealthChecker {
  private final ServerComms comms;

  public TargetHealthChecker(ServerComms comms) {
    this.comms = comms;
  }

  public HealthResult check(Machine machine) {
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

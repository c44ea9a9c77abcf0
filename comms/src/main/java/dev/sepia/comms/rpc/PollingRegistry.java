package dev.sepia.comms.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The polling Tentacles connected to this server, by certificate thumbprint; a Tentacle may hold
 * several sockets. Calls wait here, bounded, for a Tentacle to connect.
 */
final class PollingRegistry {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, List<Connection>> connections = new HashMap<>();
  private boolean closed;

  void add(String thumbprint, Connection connection) {
    lock.lock();
    try {
      connections.computeIfAbsent(thumbprint, t -> new ArrayList<>()).add(connection);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void remove(String thumbprint, Connection connection) {
    lock.lock();
    try {
      List<Connection> list = connections.get(thumbprint);
      if (list != null && list.remove(connection) && list.isEmpty()) {
        connections.remove(thumbprint);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The Tentacle's least busy open connection, waiting up to {@code wait} for one: spreading calls
   * keeps a long transfer on one socket from delaying the others.
   */
  Connection await(String thumbprint, Duration wait) throws UnreachableException {
    long remaining = wait.toNanos();
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw new UnreachableException("The polling endpoint of this server is closed");
        }
        Connection best = leastBusy(thumbprint);
        if (best != null) {
          return best;
        }
        if (remaining <= 0) {
          throw new UnreachableException(
              "The polling Tentacle "
                  + thumbprint
                  + " has not connected within "
                  + Durations.format(wait)
                  + ". Check that it runs, that it can reach this server's polling port, and its"
                  + " log for trust errors.");
        }
        try {
          remaining = changed.awaitNanos(remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UnreachableException("Interrupted while waiting for " + thumbprint);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  boolean isConnected(String thumbprint) {
    lock.lock();
    try {
      return leastBusy(thumbprint) != null;
    } finally {
      lock.unlock();
    }
  }

  Set<String> connectedThumbprints() {
    lock.lock();
    try {
      Set<String> connected = new TreeSet<>();
      connections.forEach(
          (thumbprint, list) -> {
            if (list.stream().anyMatch(Connection::isOpen)) {
              connected.add(thumbprint);
            }
          });
      return Set.copyOf(connected);
    } finally {
      lock.unlock();
    }
  }

  /** The Tentacle's connections, for dropping them. */
  List<Connection> of(String thumbprint) {
    lock.lock();
    try {
      return List.copyOf(connections.getOrDefault(thumbprint, List.of()));
    } finally {
      lock.unlock();
    }
  }

  /** Every connection; waiting calls fail. */
  List<Connection> close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
      List<Connection> all = new ArrayList<>();
      connections.values().forEach(all::addAll);
      return all;
    } finally {
      lock.unlock();
    }
  }

  private Connection leastBusy(String thumbprint) {
    return connections.getOrDefault(thumbprint, List.of()).stream()
        .filter(Connection::isOpen)
        .min(Comparator.comparingInt(Connection::inFlight))
        .orElse(null);
  }
}

package dev.sepia.comms.testing;

import dev.sepia.comms.tls.PeerRejection;
import dev.sepia.comms.tls.TrustRejectionListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Keeps every rejection it is told of. */
public final class RecordingListener implements TrustRejectionListener {

  private final List<PeerRejection> rejections = new CopyOnWriteArrayList<>();

  @Override
  public void rejected(PeerRejection rejection) {
    rejections.add(rejection);
  }

  public List<PeerRejection> rejections() {
    return List.copyOf(rejections);
  }

  /** Waits (bounded) until at least {@code count} rejections arrived; returns them. */
  public List<PeerRejection> await(int count, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (rejections.size() < count && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return rejections();
  }
}

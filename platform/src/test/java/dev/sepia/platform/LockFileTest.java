package dev.sepia.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {

  @TempDir Path temp;

  @Test
  void secondHolder_waitsUntilTheFirstHasFinished() throws Exception {
    Path lock = temp.resolve("registry.lock");
    CountDownLatch firstHolds = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    StringBuffer order = new StringBuffer();

    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                LockFile.run(
                    lock,
                    Duration.ofSeconds(10),
                    () -> {
                      firstHolds.countDown();
                      await(releaseFirst);
                      order.append("first;");
                    }));
    firstHolds.await(10, TimeUnit.SECONDS);
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () -> LockFile.run(lock, Duration.ofSeconds(10), () -> order.append("second;")));
    Thread.sleep(200);
    releaseFirst.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);

    assertThat(order.toString()).isEqualTo("first;second;");
  }

  @Test
  void lockHeldTooLong_isExplained() throws Exception {
    Path lock = temp.resolve("registry.lock");
    CountDownLatch holds = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> holder =
        CompletableFuture.runAsync(
            () ->
                LockFile.run(
                    lock,
                    Duration.ofSeconds(10),
                    () -> {
                      holds.countDown();
                      await(release);
                    }));
    holds.await(10, TimeUnit.SECONDS);
    try {
      assertThatThrownBy(() -> LockFile.run(lock, Duration.ofMillis(100), () -> {}))
          .isInstanceOf(OperatorException.class)
          .hasMessage(
              "Timed out after 100 ms waiting for the lock "
                  + lock
                  + ": another Sepia command is changing the same files. Try again when it has"
                  + " finished.");
    } finally {
      release.countDown();
      holder.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void lockFile_isOwnerOnly_andTheLockIsReleasedWhenTheActionFails() throws IOException {
    Path lock = temp.resolve("state/service.lock");

    assertThatThrownBy(
            () ->
                LockFile.run(
                    lock,
                    Duration.ofSeconds(1),
                    () -> {
                      throw new OperatorException("boom");
                    }))
        .hasMessage("boom");

    assertThat(LockFile.call(lock, Duration.ofSeconds(1), () -> "again")).isEqualTo("again");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock)))
        .isEqualTo("rw-------");
  }

  @Test
  void lockHeldByAnotherProcess_isWaitedFor() throws Exception {
    Path lock = temp.resolve("registry.lock");
    Path ready = temp.resolve("ready");
    Process other =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Path.of(HoldLock.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString(),
                HoldLock.class.getName(),
                lock.toString(),
                ready.toString())
            .inheritIO()
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(ready) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }

      assertThatThrownBy(() -> LockFile.run(lock, Duration.ofMillis(300), () -> {}))
          .isInstanceOf(OperatorException.class)
          .hasMessageStartingWith("Timed out after 300 ms waiting for the lock " + lock);

      other.destroyForcibly().waitFor();
      assertThat(LockFile.call(lock, Duration.ofSeconds(5), () -> "ours")).isEqualTo("ours");
    } finally {
      other.destroyForcibly();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

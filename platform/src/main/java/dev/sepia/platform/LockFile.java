package dev.sepia.platform;

import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * An exclusive lock on a file, held across processes, so two commands that read, change and write
 * the same file (a registry, a service's state) cannot interleave.
 *
 * <p>The lock file is never deleted: deleting it would let a third process lock a new file while
 * the second still holds the old one.
 */
public final class LockFile {

  private static final Duration POLL = Duration.ofMillis(20);

  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Runs {@code action} holding the lock on {@code lockFile}; see {@link #call}. */
  public static void run(Path lockFile, Duration timeout, Runnable action) {
    call(
        lockFile,
        timeout,
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * Runs {@code action} holding the lock on {@code lockFile} (created with mode 0600 if needed),
   * waiting up to {@code timeout} for it. Not re-entrant: an action must not lock the same file.
   */
  public static <T> T call(Path lockFile, Duration timeout, Supplier<T> action) {
    LockFile lock = acquire(lockFile, timeout);
    try {
      return action.get();
    } finally {
      lock.release();
    }
  }

  // Polls rather than blocks: within one JVM a second lock attempt throws instead of waiting,
  // and one JVM may host several Sepia instances.
  private static LockFile acquire(Path lockFile, Duration timeout) {
    Path file = lockFile.toAbsolutePath().normalize();
    FileChannel channel;
    try {
      AtomicFiles.createDirectories(file.getParent());
      channel =
          AtomicFiles.posix(file.getParent())
              ? FileChannel.open(
                  file,
                  java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                  PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_ONLY_FILE))
              : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot open the lock file " + file + ": " + AtomicFiles.reason(e) + ".", e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null; // held by another thread of this JVM
        }
        if (lock != null) {
          return new LockFile(channel, lock);
        }
        if (System.nanoTime() - deadline > 0) {
          throw new OperatorException(
              "Timed out after "
                  + (timeout.toMillis() < 1000
                      ? timeout.toMillis() + " ms"
                      : timeout.toSeconds() + " s")
                  + " waiting for the lock "
                  + file
                  + ": another Sepia command is changing the same files. Try again when it has"
                  + " finished.");
        }
        Thread.sleep(POLL);
      }
    } catch (IOException e) {
      closeQuietly(channel);
      throw new OperatorException("Cannot lock " + file + ": " + AtomicFiles.reason(e) + ".", e);
    } catch (InterruptedException e) {
      closeQuietly(channel);
      Thread.currentThread().interrupt();
      throw new OperatorException("Interrupted while waiting for the lock " + file + ".", e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private void release() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases the lock too.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing useful to do: the operating system drops the lock with the descriptor.
    }
  }
}

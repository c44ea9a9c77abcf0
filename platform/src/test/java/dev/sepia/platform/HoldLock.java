package dev.sepia.platform;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Another process that holds a lock file until killed: {@code HoldLock LOCK_FILE READY_FILE}. */
public final class HoldLock {

  private HoldLock() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel channel =
            FileChannel.open(
                Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      Files.writeString(Path.of(args[1]), "locked " + lock.isValid());
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}

package dev.sepia.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path temp;

  @Test
  void write_replacesTheWholeFile_leavingNoTemporaryFile() throws IOException {
    Path file = temp.resolve("settings.json");
    Files.writeString(file, "old content that is longer than the new one");

    AtomicFiles.writeOwnerOnly(file, "new".getBytes(StandardCharsets.UTF_8));

    assertThat(file).hasContent("new");
    try (Stream<Path> files = Files.list(temp)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void write_setsTheModeAskedFor_whateverTheFileHadBefore() throws IOException {
    Path file = temp.resolve("unit.service");
    Files.writeString(file, "x");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrwxrwx"));

    AtomicFiles.write(file, new byte[0], PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void foldersCreatedOnTheWay_areOwnerOnly_butExistingOnesAreLeftAlone() throws IOException {
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));

    AtomicFiles.writeOwnerOnly(temp.resolve("a/b/file"), new byte[] {1});

    assertThat(mode(temp)).isEqualTo("rwxr-xr-x");
    assertThat(mode(temp.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(temp.resolve("a/b"))).isEqualTo("rwx------");
    assertThat(mode(temp.resolve("a/b/file"))).isEqualTo("rw-------");
  }

  @Test
  void reasons_areShortWords() {
    assertThat(AtomicFiles.reason(new AccessDeniedException("/etc/x")))
        .isEqualTo("permission denied");
    assertThat(AtomicFiles.reason(new NoSuchFileException("/etc/x")))
        .isEqualTo("no such file or folder");
    assertThat(AtomicFiles.reason(new IOException("No space left on device")))
        .isEqualTo("No space left on device");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}

package dev.sepia.platform.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @TempDir Path temp;

  @Test
  void tail_showsOnlyTheLastRun() throws IOException {
    Path log = temp.resolve("service.log");
    Files.writeString(log, "---- run 1\nold error\n---- run 2\nnew line 1\nnew line 2\n");

    assertThat(LogTail.lastLines(log, 20, "---- ")).containsExactly("new line 1", "new line 2");
  }

  @Test
  void tailOfAHugeLog_readsOnlyItsEnd() throws IOException {
    Path log = temp.resolve("service.log");
    String lines =
        IntStream.rangeClosed(1, 200_000)
            .mapToObj(i -> "line " + i)
            .collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(log, lines);

    assertThat(LogTail.lastLines(log, 3, "---- "))
        .containsExactly("line 199998", "line 199999", "line 200000");
  }

  @Test
  void missingLog_hasNoLines() {
    assertThat(LogTail.lastLines(temp.resolve("absent.log"), 20, "---- ")).isEmpty();
  }
}

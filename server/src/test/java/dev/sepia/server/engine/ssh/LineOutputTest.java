package dev.sepia.server.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineOutputTest {

  @Test
  void linesSplitAcrossWrites_withCrLfAndMultiByteCharacters_arriveWhole() {
    List<String> lines = new ArrayList<>();
    LineOutput out = new LineOutput(lines::add);
    byte[] bytes = "één\r\ntwee\n\ndrie".getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      out.write(new byte[] {b}, 0, 1);
    }
    assertThat(lines).containsExactly("één", "twee", "");
    out.finish();
    assertThat(lines).containsExactly("één", "twee", "", "drie");
  }

  @Test
  void finish_withNothingPending_addsNoEmptyLine() {
    List<String> lines = new ArrayList<>();
    LineOutput out = new LineOutput(lines::add);
    byte[] bytes = "a\nb\n".getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
    out.finish();
    assertThat(lines).containsExactly("a", "b");
  }
}

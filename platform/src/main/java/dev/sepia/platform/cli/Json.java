package dev.sepia.platform.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one way Sepia's command-line programs and files write JSON, so that {@code --format json}
 * output, config files and registries look alike: camelCase names, pretty-printed as {@code "key":
 * value}, map keys sorted (stable diffs), paths as plain strings, duplicate keys and trailing
 * garbage rejected when reading (a hand-edited file with two values for one key is an error, not a
 * guess).
 */
public final class Json {

  private Json() {}

  /** A new, fully configured mapper; callers may adjust their copy without affecting others. */
  public static ObjectMapper mapper() {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    SimpleModule paths = new SimpleModule("sepia-paths");
    paths.addSerializer(Path.class, ToStringSerializer.instance);
    paths.addDeserializer(Path.class, new PathDeserializer());
    return JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .defaultPrettyPrinter(printer)
        .addModule(paths)
        .build();
  }

  // Jackson's own Path support reads and writes file:// URIs; operators expect plain paths.
  private static final class PathDeserializer extends StdScalarDeserializer<Path> {
    PathDeserializer() {
      super(Path.class);
    }

    @Override
    public Path deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      String text = parser.getValueAsString();
      if (text == null) {
        return (Path) context.handleUnexpectedToken(Path.class, parser);
      }
      return Path.of(text);
    }
  }
}

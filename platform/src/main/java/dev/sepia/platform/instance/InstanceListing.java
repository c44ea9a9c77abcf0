package dev.sepia.platform.instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OutputFormat;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code list-instances} prints, for the server and the Tentacle alike. */
public final class InstanceListing {
  private InstanceListing() {}

  /**
   * @param program "sepia-server" or "sepia-tentacle", named in the hint when there are none
   */
  public static void print(
      List<InstanceRecord> instances, OutputFormat format, String program, PrintWriter out)
      throws JsonProcessingException {
    if (format == OutputFormat.JSON) {
      List<Map<String, String>> rows =
          instances.stream()
              .map(
                  i -> {
                    Map<String, String> row = new LinkedHashMap<>();
                    row.put("name", i.name());
                    row.put("configFile", i.configFile().toString());
                    return row;
                  })
              .toList();
      out.println(Json.mapper().writeValueAsString(rows));
      return;
    }
    if (instances.isEmpty()) {
      out.println(
          "No instances on this machine. Create one with: "
              + program
              + " create-instance --instance Default --config FILE");
    }
    for (InstanceRecord i : instances) {
      out.println("Instance '" + i.name() + "' uses configuration '" + i.configFile() + "'");
    }
  }
}

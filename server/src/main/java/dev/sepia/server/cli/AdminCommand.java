package dev.sepia.server.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.startup.OpenInstance;
import dev.sepia.server.users.User;
import dev.sepia.server.users.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "admin",
    description = {
      "Creates an administrator, or resets an existing user to an active administrator with a"
          + " new password.",
      "--apiKey prints a new API key for the user once; it is stored only as a hash."
    })
final class AdminCommand extends InstanceCommand {
  static final int MIN_PASSWORD_LENGTH = 8;

  @Option(names = "--username", required = true, description = "User name.")
  String username;

  @Option(names = "--password", description = "New password (at least 8 characters).")
  String password;

  @Option(names = "--email", description = "Email address.")
  String email;

  @Option(names = "--apiKey", description = "Also create an API key and print it once.")
  boolean apiKey;

  @Override
  public Integer call() {
    String name = username.trim();
    if (name.isEmpty() || name.length() > 200) {
      throw new OperatorException("--username must be 1 to 200 characters.", 2);
    }
    if (password != null && password.length() < MIN_PASSWORD_LENGTH) {
      throw new OperatorException(
          "--password is too short: use at least " + MIN_PASSWORD_LENGTH + " characters.", 2);
    }
    if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
      throw new OperatorException("--email does not look like an email address.", 2);
    }
    try (OpenInstance instance = openInstance()) {
      UserStore users = new UserStore(instance.jdbi());
      boolean exists = users.findByUsername(name).isPresent();
      if (!exists && password == null && !apiKey) {
        throw new OperatorException(
            "A new administrator needs --password (or --apiKey for an API-only service account).",
            2);
      }
      String[] issued = new String[1];
      boolean created =
          instance
              .jdbi()
              .inTransaction(
                  h -> {
                    boolean isNew =
                        UserStore.createOrResetAdministrator(
                            h, name, password == null ? null : password.toCharArray(), email);
                    if (apiKey) {
                      User user = UserStore.findByUsername(h, name).orElseThrow();
                      issued[0] =
                          UserStore.issueApiKey(h, user.id(), "Created by sepia-server admin");
                    }
                    AuditLog.record(
                        h,
                        AuditLog.commandLineActor(),
                        isNew ? "AdministratorCreated" : "AdministratorReset",
                        (isNew ? "Created administrator '" : "Reset administrator '")
                            + name
                            + "'"
                            + (password != null ? ", password set" : "")
                            + (apiKey ? ", API key issued" : ""));
                    return isNew;
                  });
      out()
          .println(
              (created ? "Created administrator '" : "Reset user '")
                  + name
                  + "'"
                  + (created ? "." : " to an active administrator."));
      if (issued[0] != null) {
        out().println("API key (shown once; store it safely): " + issued[0]);
      }
      return 0;
    }
  }
}

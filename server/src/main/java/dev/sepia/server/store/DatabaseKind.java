package dev.sepia.server.store;

import dev.sepia.platform.cli.OperatorException;

/** The database engines Sepia supports, recognised from the JDBC connection string. */
public enum DatabaseKind {
  H2("H2"),
  POSTGRESQL("PostgreSQL");

  private final String displayName;

  DatabaseKind(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  public static DatabaseKind of(String connectionString) {
    if (connectionString == null || connectionString.isBlank()) {
      throw new OperatorException("The connection string is empty. " + EXAMPLES, 2);
    }
    if (connectionString.startsWith("jdbc:h2:file:")) {
      return H2;
    }
    if (connectionString.startsWith("jdbc:postgresql://")) {
      return POSTGRESQL;
    }
    if (connectionString.startsWith("jdbc:h2:")) {
      throw new OperatorException(
          "Only file-based H2 databases can hold a Sepia server (jdbc:h2:file:…). " + EXAMPLES, 2);
    }
    throw new OperatorException("The connection string is not one Sepia supports. " + EXAMPLES, 2);
  }

  static final String EXAMPLES =
      "Use jdbc:h2:file:/var/lib/sepia/db/sepia for an embedded H2 database, or"
          + " jdbc:postgresql://HOST:5432/DATABASE?user=USER&password=PASSWORD for PostgreSQL.";
}

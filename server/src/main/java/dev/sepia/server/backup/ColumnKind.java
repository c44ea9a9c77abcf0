package dev.sepia.server.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Locale;

/**
 * How a column's values are written into a backup so that they read back the same on H2 and on
 * PostgreSQL. Every value is a JSON value of one fixed shape per kind; SQL NULL is JSON null.
 *
 * <ul>
 *   <li>{@code text}: a JSON string, any length (TEXT is a CLOB on H2, text on PostgreSQL).
 *   <li>{@code integer}: a JSON number. {@code bigint} and {@code decimal}: a JSON string of
 *       digits, so no reader (JavaScript included) rounds a large value.
 *   <li>{@code boolean}: true or false.
 *   <li>{@code timestamp_tz} (every point in time from schema version 9 on) and {@code timestamp}
 *       (older backups, which stored the server's local time): the instant in UTC, ISO-8601
 *       ("2024-05-01T09:30:00.123456Z"), so a restore on a machine in another time zone gets the
 *       same instants.
 *   <li>{@code binary}: standard base64.
 * </ul>
 */
enum ColumnKind {
  TEXT,
  INTEGER,
  BIGINT,
  DECIMAL,
  DOUBLE,
  BOOLEAN,
  TIMESTAMP,
  TIMESTAMP_TZ,
  DATE,
  TIME,
  BINARY;

  /** The name written in the manifest. */
  String manifestName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ColumnKind fromManifest(String name) {
    for (ColumnKind kind : values()) {
      if (kind.manifestName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown column type '" + name + "'");
  }

  /**
   * The kind of a column as the JDBC driver describes it.
   *
   * @throws IllegalArgumentException for a type backups do not carry yet (the message names it)
   */
  static ColumnKind of(int sqlType, String typeName) {
    String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
    return switch (sqlType) {
      case Types.CHAR,
          Types.VARCHAR,
          Types.LONGVARCHAR,
          Types.CLOB,
          Types.NCHAR,
          Types.NVARCHAR,
          Types.LONGNVARCHAR,
          Types.NCLOB ->
          TEXT;
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> INTEGER;
      case Types.BIGINT -> BIGINT;
      case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> DOUBLE;
      case Types.BOOLEAN, Types.BIT -> BOOLEAN;
      // PostgreSQL's driver reports timestamptz as TIMESTAMP; its type name tells them apart.
      case Types.TIMESTAMP ->
          name.contains("tz") || name.contains("zone") ? TIMESTAMP_TZ : TIMESTAMP;
      case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
      case Types.DATE -> DATE;
      case Types.TIME -> TIME;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
      default ->
          throw new IllegalArgumentException(
              "columns of type " + typeName + " (JDBC type " + sqlType + ")");
    };
  }

  /** Writes column {@code index} of the current row as this kind's JSON value. */
  void write(ResultSet rs, int index, JsonGenerator out) throws SQLException, IOException {
    switch (this) {
      case TEXT -> {
        String value = rs.getString(index);
        if (value == null) {
          out.writeNull();
        } else {
          out.writeString(value);
        }
      }
      case INTEGER -> {
        int value = rs.getInt(index);
        if (rs.wasNull()) {
          out.writeNull();
        } else {
          out.writeNumber(value);
        }
      }
      case BIGINT -> {
        long value = rs.getLong(index);
        if (rs.wasNull()) {
          out.writeNull();
        } else {
          out.writeString(Long.toString(value));
        }
      }
      case DECIMAL -> writeNullable(out, rs.getBigDecimal(index), BigDecimal::toPlainString);
      case DOUBLE -> {
        double value = rs.getDouble(index);
        if (rs.wasNull()) {
          out.writeNull();
        } else {
          out.writeNumber(value);
        }
      }
      case BOOLEAN -> {
        boolean value = rs.getBoolean(index);
        if (rs.wasNull()) {
          out.writeNull();
        } else {
          out.writeBoolean(value);
        }
      }
      case TIMESTAMP -> writeNullable(out, rs.getTimestamp(index), t -> t.toInstant().toString());
      case TIMESTAMP_TZ ->
          writeNullable(
              out, rs.getObject(index, OffsetDateTime.class), t -> t.toInstant().toString());
      case DATE -> writeNullable(out, rs.getObject(index, LocalDate.class), LocalDate::toString);
      case TIME -> writeNullable(out, rs.getObject(index, LocalTime.class), LocalTime::toString);
      case BINARY ->
          writeNullable(out, rs.getBytes(index), b -> Base64.getEncoder().encodeToString(b));
    }
  }

  /** Binds a value written by {@link #write} to parameter {@code index}. */
  void bind(PreparedStatement ps, int index, JsonNode value, int targetSqlType)
      throws SQLException {
    if (value == null || value.isNull()) {
      ps.setNull(index, targetSqlType);
      return;
    }
    switch (this) {
      case TEXT -> ps.setString(index, value.textValue());
      case INTEGER -> ps.setInt(index, value.intValue());
      case BIGINT -> ps.setLong(index, Long.parseLong(value.textValue()));
      case DECIMAL -> ps.setBigDecimal(index, new BigDecimal(value.textValue()));
      case DOUBLE -> ps.setDouble(index, value.doubleValue());
      case BOOLEAN -> ps.setBoolean(index, value.booleanValue());
      case TIMESTAMP -> ps.setTimestamp(index, Timestamp.from(Instant.parse(value.textValue())));
      case TIMESTAMP_TZ -> ps.setObject(index, OffsetDateTime.parse(value.textValue()));
      case DATE -> ps.setObject(index, LocalDate.parse(value.textValue()));
      case TIME -> ps.setObject(index, LocalTime.parse(value.textValue()));
      case BINARY -> ps.setBytes(index, Base64.getDecoder().decode(value.textValue()));
    }
  }

  /** Whether {@code value} has the JSON shape this kind writes (a damaged row is refused). */
  boolean accepts(JsonNode value) {
    if (value == null || value.isNull()) {
      return true;
    }
    return switch (this) {
      case INTEGER -> value.canConvertToInt() && value.isIntegralNumber();
      case DOUBLE -> value.isNumber();
      case BOOLEAN -> value.isBoolean();
      default -> value.isTextual();
    };
  }

  private interface Format<T> {
    String apply(T value);
  }

  private static <T> void writeNullable(JsonGenerator out, T value, Format<T> format)
      throws IOException {
    if (value == null) {
      out.writeNull();
    } else {
      out.writeString(format.apply(value));
    }
  }
}

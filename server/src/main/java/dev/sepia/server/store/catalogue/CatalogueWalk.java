package dev.sepia.server.store.catalogue;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Walks the stored values of catalogued columns in batches by row id, one transaction per batch:
 * memory stays bounded on any database size, and an interrupted walk loses at most the batch it was
 * in. Used by everything that must touch every secret (lost-master-key, rotate-master-key). Batches
 * are numbered across every field and every pass of one walk, so a test can stop "after batch 3"
 * whatever the catalogue holds.
 */
public final class CatalogueWalk {
  private final Jdbi jdbi;
  private final int batchSize;
  private final AfterBatch afterBatch;
  private int batches;

  /** A stored (non-NULL) value and the id of its row. */
  public record Value(String rowId, String sealed) {}

  /**
   * The work on one batch, inside its transaction.
   *
   * @return how many of the values it changed (cleared, re-encrypted)
   */
  public interface BatchWork {
    int apply(Handle h, EncryptedField field, List<Value> batch, int number);
  }

  /** Told each time a batch has committed. */
  public interface AfterBatch {
    void committed(int number);
  }

  public CatalogueWalk(Jdbi jdbi, int batchSize, AfterBatch afterBatch) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    this.jdbi = jdbi;
    this.batchSize = batchSize;
    this.afterBatch = afterBatch;
  }

  /** Walks every stored value of {@code field}. */
  public void walk(EncryptedField field, WalkProgress progress, BatchWork work) {
    walk(field, null, progress, work);
  }

  /**
   * Walks the stored values of {@code field} that do not match the SQL LIKE pattern {@code
   * skipLike} (for example {@code sepia:v1:<key id>:%}, values already sealed with that key); null
   * walks them all.
   */
  public void walk(EncryptedField field, String skipLike, WalkProgress progress, BatchWork work) {
    String after = "";
    while (true) {
      int number = ++batches;
      String from = after;
      Batch done =
          jdbi.inTransaction(
              h -> {
                List<Value> values = read(h, field, skipLike, from);
                int changed = work.apply(h, field, values, number);
                return new Batch(values.size(), changed, values.isEmpty() ? from : last(values));
              });
      afterBatch.committed(number);
      progress.add(done.read(), done.changed());
      if (done.read() < batchSize) {
        return;
      }
      after = done.lastRowId();
    }
  }

  private record Batch(int read, int changed, String lastRowId) {}

  private static String last(List<Value> values) {
    return values.get(values.size() - 1).rowId();
  }

  private List<Value> read(Handle h, EncryptedField field, String skipLike, String after) {
    String column = field.column();
    return h.createQuery(
            "SELECT "
                + field.idColumn()
                + ", "
                + column
                + " FROM "
                + field.table()
                + " WHERE "
                + column
                + " IS NOT NULL"
                + (skipLike == null ? "" : " AND " + column + " NOT LIKE :skipped")
                + " AND "
                + field.idColumn()
                + " > :after ORDER BY "
                + field.idColumn()
                + " LIMIT :n")
        .bind("skipped", skipLike == null ? "" : skipLike)
        .bind("after", after)
        .bind("n", batchSize)
        .map((rs, ctx) -> new Value(rs.getString(1), rs.getString(2)))
        .list();
  }
}

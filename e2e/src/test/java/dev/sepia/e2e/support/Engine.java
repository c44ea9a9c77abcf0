package dev.sepia.e2e.support;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The two databases Sepia supports; tests about databases and keys run on both. */
public enum Engine {
  H2 {
    @Override
    public TestDatabase newDatabase(Path tempDir) {
      Path folder = tempDir.resolve("h2-" + H2_DATABASES.incrementAndGet());
      return new TestDatabase(this, "jdbc:h2:file:" + folder.resolve("sepia"));
    }
  },
  POSTGRESQL {
    @Override
    public TestDatabase newDatabase(Path tempDir) {
      return new TestDatabase(this, SharedPostgres.newEmptyDatabase());
    }
  };

  private static final AtomicInteger H2_DATABASES = new AtomicInteger();

  /**
   * A database Sepia has not touched: for H2 a file that does not exist yet, for PostgreSQL a new
   * empty database.
   */
  public abstract TestDatabase newDatabase(Path tempDir);
}

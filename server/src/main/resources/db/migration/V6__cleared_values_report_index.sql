-- The recovery report reads a run's cleared values field by field in id order, a page at a time.
-- Without this index H2 sorts every cleared row for each page (quadratic on large databases).
CREATE INDEX cleared_values_report ON cleared_values (recovery_id, table_name, column_name, id);

package dev.sepia.bench;

import java.util.Collection;

/**
 * Minimum, median and maximum of a few measurements (the median of an even count is the mean of the
 * middle two).
 */
record Spread(double min, double median, double max) {

  static Spread of(Collection<? extends Number> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("No values");
    }
    double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Spread(sorted[0], median, sorted[n - 1]);
  }

  static Spread ofNanosAsMillis(Collection<Long> nanos) {
    return of(nanos.stream().map(n -> n / 1e6).toList());
  }

  /** "min / median / max" with the given format per value. */
  String format(String valueFormat) {
    return String.format(valueFormat + " / " + valueFormat + " / " + valueFormat, min, median, max);
  }
}

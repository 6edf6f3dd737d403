package dev.reelfarm.orchestrator.api;

/**
 * A single HTTP byte range ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) resolved against
 * a length.
 */
record ByteRange(long start, long end, boolean satisfiable) {

  long length() {
    return end - start + 1;
  }

  /** Null when there is no usable Range header (serve the whole file). */
  static ByteRange parse(String header, long length) {
    if (header == null || !header.startsWith("bytes=") || header.contains(",")) return null;
    String spec = header.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) return null;
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      long start;
      long end;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        start = Math.max(0, length - suffix);
        end = length - 1;
      } else {
        start = Long.parseLong(a);
        end = b.isEmpty() ? length - 1 : Math.min(Long.parseLong(b), length - 1);
      }
      boolean ok = start <= end && start < length;
      return new ByteRange(start, end, ok);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

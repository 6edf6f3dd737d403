package dev.reelfarm.infra;

/**
 * A topic the broker must have: its name, its partition count, and whether an existing topic with
 * fewer partitions may be grown to it (only for topics whose consumers need no per-key order:
 * growing re-maps keys to partitions).
 */
public record TopicSpec(String name, int partitions, boolean growable) {
  public TopicSpec {
    if (partitions < 1) throw new IllegalArgumentException(name + ": partitions must be >= 1");
  }
}

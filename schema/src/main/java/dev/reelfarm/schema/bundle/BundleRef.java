package dev.reelfarm.schema.bundle;

/**
 * A model bundle as the farm routes by it: its {@code bundle.json} name and its {@link
 * BundleChecksum checksum}. A null checksum is unknown (a worker or a job from before workers
 * reported checksums): then the name alone decides.
 */
public record BundleRef(String name, String checksum) {

  /**
   * Whether a worker with this bundle loaded may render a chunk planned for {@code wanted}: the
   * same name, and the same checksum where both are known.
   */
  public boolean serves(BundleRef wanted) {
    return name.equals(wanted.name())
        && (checksum == null || wanted.checksum() == null || checksum.equals(wanted.checksum()));
  }

  /** {@code name} and, when known, the checksum's first 12 hex digits, for messages. */
  @Override
  public String toString() {
    if (checksum == null) return name;
    String hex = checksum.substring(checksum.indexOf(':') + 1);
    return name + " (" + hex.substring(0, Math.min(12, hex.length())) + ")";
  }
}

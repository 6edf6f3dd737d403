package dev.reelfarm.encoder.stitching;

/**
 * A chunk plan that cannot be stitched (gap, overlap, frame outside its window): never worth a
 * retry.
 */
public final class InvalidPlanException extends IllegalArgumentException {
  public InvalidPlanException(String message) {
    super(message);
  }
}

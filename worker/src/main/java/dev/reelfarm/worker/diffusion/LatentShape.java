package dev.reelfarm.worker.diffusion;

import java.util.Objects;

/**
 * The geometry of one chunk's latents (batch 1), with per-frame access so that code working on
 * frames — noise, conditioning — does not depend on the layout. A frame is always handled as a [C,
 * H, W] array.
 */
public record LatentShape(LatentLayout layout, int channels, int frames, int height, int width) {

  public LatentShape {
    Objects.requireNonNull(layout, "layout");
    if (channels < 1 || frames < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "dimensions must be positive: " + channels + "x" + frames + "x" + height + "x" + width);
    }
  }

  /** Values in one frame: C·H·W. */
  public int frameSize() {
    return channels * height * width;
  }

  /** Values in the whole tensor: C·F·H·W. */
  public int size() {
    return frameSize() * frames;
  }

  /** The tensor's dimensions in its layout, batch first. */
  public long[] dimensions() {
    return switch (layout) {
      case BCFHW -> new long[] {1, channels, frames, height, width};
      case BFCHW -> new long[] {1, frames, channels, height, width};
    };
  }

  /** A copy of frame {@code frame} as [C, H, W]. */
  public float[] frame(float[] latents, int frame) {
    requireSize(latents);
    float[] slice = new float[frameSize()];
    int plane = height * width;
    for (int c = 0; c < channels; c++) {
      System.arraycopy(latents, planeOffset(c, frame), slice, c * plane, plane);
    }
    return slice;
  }

  /** Writes a [C, H, W] frame into {@code latents} at {@code frame}. */
  public void putFrame(float[] latents, int frame, float[] frameValues) {
    requireSize(latents);
    if (frameValues.length != frameSize()) {
      throw new IllegalArgumentException(
          "a frame has " + frameSize() + " values, got " + frameValues.length);
    }
    int plane = height * width;
    for (int c = 0; c < channels; c++) {
      System.arraycopy(frameValues, c * plane, latents, planeOffset(c, frame), plane);
    }
  }

  /** Where the [H, W] plane of channel c of frame f starts. */
  private int planeOffset(int channel, int frame) {
    Objects.checkIndex(frame, frames);
    int plane = height * width;
    return switch (layout) {
      case BCFHW -> (channel * frames + frame) * plane;
      case BFCHW -> (frame * channels + channel) * plane;
    };
  }

  private void requireSize(float[] latents) {
    if (latents.length != size()) {
      throw new IllegalArgumentException(
          "latents of " + this + " have " + size() + " values, got " + latents.length);
    }
  }
}

package dev.reelfarm.worker.diffusion;

/** Axis order of a video latent tensor with batch 1, as a bundle declares it. */
public enum LatentLayout {
  /** [batch, channels, frames, height, width]: diffusers' video UNets (AnimateDiff, Wan, LTX). */
  BCFHW,
  /** [batch, frames, channels, height, width]: frame-major models (Stable Video Diffusion). */
  BFCHW
}

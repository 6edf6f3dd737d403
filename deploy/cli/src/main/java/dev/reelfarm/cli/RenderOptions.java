package dev.reelfarm.cli;

import picocli.CommandLine.Option;

/** What a clip is rendered with, shared by {@code render} and {@code eval}. */
final class RenderOptions {
  @Option(
      names = "--preset",
      paramLabel = "NAME",
      description =
          "tiktok | shorts | reels | landscape; naming one applies its platform's duration rule"
              + " (tiktok and reels: at least 3 s). Default: the farm's, tiktok's 1080×1920"
              + " format without that rule")
  String preset;

  @Option(
      names = "--steps",
      paramLabel = "N",
      description = "denoising steps (default: the model's)")
  Integer steps;

  @Option(
      names = "--guidance",
      paramLabel = "X",
      converter = Converters.Finite.class,
      description = "classifier-free guidance scale (default: the model's)")
  Double guidance;
}

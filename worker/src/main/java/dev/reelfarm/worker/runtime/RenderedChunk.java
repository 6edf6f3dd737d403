package dev.reelfarm.worker.runtime;

/** A rendered chunk: its final latents, its decoded RGB24 frames, and where the time went. */
public record RenderedChunk(
    LatentFile.Latents latents, byte[] frames, long textMs, long denoiseMs, long decodeMs) {}

package dev.reelfarm.cli;

import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.api.RenderView.ChunkView;
import java.util.List;
import java.util.Locale;

/**
 * One line of render progress from a job ({@code GET /api/v1/renders/{id}}):
 *
 * <pre>[#########...........] 42% chunks 2/5 · chunk 3 step 12/25 · ETA 6s</pre>
 *
 * <p>Chunks are shown 1-based when the API numbers them from 0, so "chunk 3" is the third.
 */
final class ProgressLine {

  static final int BAR_WIDTH = 20;

  static String format(RenderView job) {
    JobStatus status = job.status();
    List<ChunkView> chunks = job.chunks() == null ? List.of() : job.chunks();
    int base = chunks.stream().mapToInt(ChunkView::index).min().orElse(0) == 0 ? 1 : 0;
    long done = chunks.stream().filter(c -> c.status() == ChunkStatus.DONE).count();

    // A job with done chunks has progress > 0; 0 there means the API gave none.
    double progress =
        job.progress() > 0 || done == 0 ? job.progress() : (double) done / chunks.size();
    if (status == JobStatus.SUCCEEDED) progress = 1;
    progress = Math.max(0, Math.min(1, progress));

    var sb = new StringBuilder();
    int filled = (int) Math.round(progress * BAR_WIDTH);
    sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
    sb.append(String.format(Locale.ROOT, "%3d%%", Math.round(progress * 100)));
    if (!chunks.isEmpty()) sb.append(" chunks ").append(done).append('/').append(chunks.size());

    switch (status) {
      case QUEUED -> sb.append(" · queued");
      case ENCODING -> sb.append(" · encoding");
      case RUNNING -> {
        List<ChunkView> running =
            chunks.stream().filter(c -> c.status() == ChunkStatus.RUNNING).toList();
        if (!running.isEmpty()) {
          ChunkView c = running.get(0);
          sb.append(" · chunk ").append(c.index() + base);
          if (c.steps() > 0) sb.append(" step ").append(c.step()).append('/').append(c.steps());
          if (c.attempt() > 1) sb.append(" attempt ").append(c.attempt());
          if (running.size() > 1) sb.append(" (+").append(running.size() - 1).append(" running)");
        }
      }
      default -> sb.append(" · ").append(status.name().toLowerCase(Locale.ROOT));
    }
    if (job.etaSeconds() != null && status != JobStatus.SUCCEEDED) {
      sb.append(" · ETA ").append(eta(job.etaSeconds()));
    }
    return sb.toString();
  }

  static String eta(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + "s";
    if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private ProgressLine() {}
}

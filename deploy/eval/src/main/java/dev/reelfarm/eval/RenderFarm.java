package dev.reelfarm.eval;

import dev.reelfarm.schema.api.RenderAccepted;
import dev.reelfarm.schema.api.RenderSubmission;
import dev.reelfarm.schema.api.RenderView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What the eval needs of a farm's API. The CLI's REST client provides it; the eval itself speaks no
 * HTTP, so it stays below the CLI (no module cycle) and can be driven by a fake.
 */
public interface RenderFarm {

  /** Where the farm answers, for the report. */
  String address();

  /**
   * Submits one render.
   *
   * @throws Rejected when the farm refuses the request (HTTP 400)
   */
  RenderAccepted submit(RenderSubmission submission) throws IOException, InterruptedException;

  RenderView job(UUID id) throws IOException, InterruptedException;

  /** Writes the job's MP4 to {@code out}; returns its size in bytes. */
  long downloadVideo(UUID id, Path out) throws IOException, InterruptedException;

  /** The farm refused a request; the message is the API's reason ({@code field: message}). */
  final class Rejected extends IOException {
    public Rejected(String reason) {
      super(reason);
    }
  }
}

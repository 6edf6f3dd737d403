package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.lifecycle.StoryboardDecisions;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.ReviewRepository;
import dev.reelfarm.orchestrator.planning.Keyframes;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.api.StoryboardView;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * What the storyboard routes share: a render's keyframes read from its anchor chunks' frames (PNGs
 * encoded from the RGB24 frames the workers wrote), and how the approve / reject routes apply a
 * decision (with its audit line). Every call first checks that the caller may see the render (404
 * otherwise).
 */
final class Storyboards {
  private final Database db;
  private final RenderRepository repo;
  private final ReviewRepository reviews;
  private final ArtifactStore artifacts;
  private final AuditLog audit;
  private final RenderQueries queries;

  Storyboards(
      Database db,
      RenderRepository repo,
      ReviewRepository reviews,
      ArtifactStore artifacts,
      AuditLog audit,
      JobEta eta) {
    this.db = db;
    this.repo = repo;
    this.reviews = reviews;
    this.artifacts = artifacts;
    this.audit = audit;
    this.queries = new RenderQueries(db, repo, eta);
  }

  /** A keyframe with the anchor chunk row it is read from. */
  private record Shown(Keyframes.Keyframe keyframe, ChunkRow anchor) {}

  /** The render's storyboard; 409 while it has no rendered keyframes (or never will). */
  StoryboardView view(Caller caller, UUID jobId) {
    return db.inTransaction(
        c -> {
          JobRow job = queries.visibleJob(c, caller, jobId);
          var review = reviews.find(c, jobId);
          List<Shown> shown = shown(job, repo.chunks(c, jobId));
          String base = "/api/v1/renders/" + jobId + "/storyboard/";
          List<StoryboardView.Keyframe> keyframes = new ArrayList<>();
          for (int i = 0; i < shown.size(); i++) {
            Keyframes.Keyframe k = shown.get(i).keyframe();
            keyframes.add(
                new StoryboardView.Keyframe(
                    i,
                    k.frame(),
                    (double) k.frame() / job.spec().nativeFps(),
                    k.anchor(),
                    base + i + ".png?seed=" + job.spec().seed()));
          }
          return new StoryboardView(
              jobId,
              job.status(),
              review.map(ReviewRepository.Review::mode).orElse(null),
              review.map(ReviewRepository.Review::round).orElse(null),
              Long.toString(job.spec().seed()),
              review.map(ReviewRepository.Review::awaitingSince).orElse(null),
              job.spec().nativeWidth(),
              job.spec().nativeHeight(),
              keyframes);
        });
  }

  /** Keyframe {@code index} as a PNG at the model's native size. */
  Response png(Caller caller, UUID jobId, int index) {
    JobRow[] job = {null};
    List<Shown> shown =
        db.inTransaction(
            c -> {
              job[0] = queries.visibleJob(c, caller, jobId);
              return shown(job[0], repo.chunks(c, jobId));
            });
    if (index < 0 || index >= shown.size())
      throw new NotFoundException(
          "the storyboard of render " + jobId + " has " + shown.size() + " keyframes");
    Shown s = shown.get(index);
    int width = job[0].spec().nativeWidth();
    int height = job[0].spec().nativeHeight();
    int frameBytes = width * height * 3;
    String uri = s.anchor().result().framesUri();
    if (artifacts.size(uri).isEmpty())
      throw new NotFoundException("the keyframes are no longer in the artifact store");
    byte[] rgb;
    try (InputStream in =
        artifacts.open(uri, (long) s.keyframe().position() * frameBytes, frameBytes)) {
      rgb = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Response.ok(encodePng(rgb, width, height), "image/png")
        .header("Cache-Control", "no-cache")
        .build();
  }

  /**
   * Applies a decision on the caller's render and records it; the render after it. 409 when the
   * render does not wait for approval.
   */
  RenderView decide(
      Caller caller, UUID jobId, String action, Map<String, ?> detail, Function<UUID, JobRow> how) {
    JobRow before = queries.visibleJob(caller, jobId);
    try {
      how.apply(jobId);
    } catch (StoryboardDecisions.NotAwaitingApproval e) {
      throw conflict(e.getMessage());
    }
    db.inTransaction(
        c -> {
          var lines = new HashMap<String, Object>(detail);
          lines.put("team", before.teamId().toString());
          audit.record(c, caller.actor(), action, "render", jobId.toString(), lines);
          return null;
        });
    return queries.view(caller, jobId);
  }

  /** The keyframes with their anchors; 409 unless every one of them has been rendered. */
  private static List<Shown> shown(JobRow job, List<ChunkRow> chunks) {
    var keyframes =
        Keyframes.of(chunks.stream().map(ChunkRow::plan).toList(), job.spec().totalFrames());
    if (keyframes.isEmpty())
      throw conflict(
          "render "
              + job.id()
              + " is "
              + job.spec().mode().id()
              + ": only an anchored render has"
              + " keyframes");
    List<Shown> shown = new ArrayList<>();
    for (Keyframes.Keyframe k : keyframes) {
      ChunkRow anchor =
          chunks.stream().filter(ch -> ch.index() == k.anchor()).findFirst().orElseThrow();
      if (anchor.status() != ChunkStatus.DONE || anchor.result().framesUri() == null)
        throw conflict(
            "render "
                + job.id()
                + " is "
                + job.status()
                + " and its anchor pass is not done:"
                + " its keyframes are not rendered yet");
      shown.add(new Shown(k, anchor));
    }
    return shown;
  }

  private static ClientErrorException conflict(String message) {
    return new ClientErrorException(message, 409);
  }

  static byte[] encodePng(byte[] rgb, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        image.setRGB(x, y, (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff));
      }
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

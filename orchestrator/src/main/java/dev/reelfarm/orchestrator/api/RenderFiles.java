package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.VideoVersions;
import dev.reelfarm.orchestrator.submission.RefusedRequestException;
import dev.reelfarm.schema.api.ErrorBody;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jboss.resteasy.reactive.PathPart;

/** A render's files from the artifact store: video (with HTTP Range), poster, chunk previews. */
final class RenderFiles {
  private final Database db;
  private final RenderRepository repo;
  private final ArtifactStore artifacts;
  private final VideoVersions versions = new VideoVersions();

  RenderFiles(Database db, RenderRepository repo, ArtifactStore artifacts) {
    this.db = db;
    this.repo = repo;
    this.artifacts = artifacts;
  }

  /**
   * The video (or the poster) of the render's latest delivered version, or of {@code version}
   * (null: the latest).
   */
  Response file(String id, String range, boolean video, Integer version) {
    UUID jobId = RenderResource.jobId(id);
    JobRow job =
        db.inTransaction(c -> repo.findJob(c, jobId, false))
            .orElseThrow(() -> new NotFoundException("no render " + id));
    String uri = video ? job.result().videoUri() : job.result().posterUri();
    if (version != null) {
      VideoVersions.Row row =
          db.inTransaction(c -> versions.find(c, jobId, version))
              .orElseThrow(
                  () ->
                      RefusedRequestException.notFound(
                          "version", "render " + id + " has no version " + version));
      uri = video ? row.videoUri() : row.posterUri();
      if (uri == null) {
        return ErrorMappers.json(
            409,
            new ErrorBody(
                "not_ready",
                "version",
                "version " + version + " of render " + id + " has no video"));
      }
    }
    if (uri == null)
      return notReady("render " + id + " is " + job.status() + ", it has no output yet");
    return send(artifacts, uri, range, video ? "video/mp4" : "image/jpeg", "render " + id);
  }

  /** 409 {@code not_ready}: the file asked for does not exist yet. */
  static Response notReady(String message) {
    return ErrorMappers.json(409, new ErrorBody("not_ready", null, message));
  }

  /**
   * The artifact {@code uri} as {@code type}, a {@code range} of it (206, or 416 when it cannot be
   * satisfied), or a redirect to a presigned URL of the store; 404 when {@code what}'s output is
   * missing from the store.
   */
  static Response send(
      ArtifactStore artifacts, String uri, String range, String type, String what) {
    OptionalLong size = artifacts.size(uri);
    if (size.isEmpty())
      throw new NotFoundException("output of " + what + " is missing from the artifact store");
    Optional<URI> presigned = artifacts.presignedUrl(uri);
    if (presigned.isPresent()) return Response.temporaryRedirect(presigned.get()).build();
    long length = size.getAsLong();
    ByteRange r = ByteRange.parse(range, length);
    if (r == null) {
      return Response.ok(body(artifacts, uri, 0, length), type)
          .header("Accept-Ranges", "bytes")
          .header("Content-Length", length)
          .build();
    }
    if (!r.satisfiable()) {
      return Response.status(416).header("Content-Range", "bytes */" + length).build();
    }
    return Response.status(206)
        .type(type)
        .entity(body(artifacts, uri, r.start(), r.length()))
        .header("Accept-Ranges", "bytes")
        .header("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + length)
        .header("Content-Length", r.length())
        .build();
  }

  /** A local file is sent as a file region; an object is streamed from the store. */
  private static Object body(ArtifactStore artifacts, String uri, long start, long length) {
    Optional<java.nio.file.Path> file = artifacts.localFile(uri);
    if (file.isPresent()) return new PathPart(file.get(), start, length);
    return (StreamingOutput)
        out -> {
          try (InputStream in = artifacts.open(uri, start, length)) {
            in.transferTo(out);
          }
        };
  }

  /** The latest preview image of a chunk while it renders. */
  Response preview(String id, int index) {
    UUID jobId = RenderResource.jobId(id);
    String uri =
        db.inTransaction(c -> repo.chunks(c, jobId)).stream()
            .filter(ch -> ch.index() == index)
            .findFirst()
            .map(ch -> ch.result().previewUri())
            .orElseThrow(
                () -> new NotFoundException("render " + id + " has no preview for chunk " + index));
    if (artifacts.size(uri).isEmpty())
      throw new NotFoundException("preview is no longer in the artifact store");
    Optional<URI> presigned = artifacts.presignedUrl(uri);
    if (presigned.isPresent()) return Response.temporaryRedirect(presigned.get()).build();
    Object image =
        artifacts.localFile(uri).<Object>map(p -> p.toFile()).orElseGet(() -> artifacts.read(uri));
    return Response.ok(image, "image/png").header("Cache-Control", "no-cache").build();
  }
}

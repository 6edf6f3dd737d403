package dev.reelfarm.schema.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One large file as an S3 multipart upload, part by part from the file (memory stays one part): the
 * object appears only when the upload completes, and an upload that fails is aborted so its parts
 * do not linger.
 */
final class MultipartUpload {
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final long partSize;

  MultipartUpload(S3Client s3, String bucket, String key, long partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.partSize = partSize;
  }

  void upload(Path file, long size) {
    String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    try (InputStream in = Files.newInputStream(file)) {
      List<CompletedPart> parts = new ArrayList<>();
      for (long offset = 0; offset < size; offset += partSize) {
        int number = parts.size() + 1;
        byte[] part = in.readNBytes((int) Math.min(partSize, size - offset));
        String etag =
            s3.uploadPart(
                    b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number),
                    RequestBody.fromBytes(part))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
      } catch (RuntimeException abort) {
        e.addSuppressed(abort);
      }
      if (e instanceof IOException io) throw new UncheckedIOException(io);
      throw (RuntimeException) e;
    }
  }
}

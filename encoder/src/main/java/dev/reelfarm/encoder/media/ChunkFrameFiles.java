package dev.reelfarm.encoder.media;

import dev.reelfarm.encoder.stitching.NativeFrameSource;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Chunk frame files as workers write them: raw RGB24, frame-major, top row first, {@code
 * frameBytes} per frame. Frames are read by position, one at a time; each file is opened on first
 * use and closed with this object.
 */
public final class ChunkFrameFiles implements NativeFrameSource, AutoCloseable {
  private final Map<Integer, Path> files;
  private final int frameBytes;
  private final Map<Integer, FileChannel> open = new HashMap<>();

  public ChunkFrameFiles(Map<Integer, Path> filesByChunkIndex, int frameBytes) {
    this.files = new HashMap<>(filesByChunkIndex);
    this.frameBytes = frameBytes;
  }

  /** Adds (or keeps) the frames file of a chunk that finished after this object was made. */
  public void add(int chunkIndex, Path file) {
    Path known = files.get(chunkIndex);
    if (known == null) {
      files.put(chunkIndex, file);
    } else if (!known.equals(file)) {
      throw new IllegalArgumentException(
          "chunk " + chunkIndex + " already reads " + known + ", not " + file);
    }
  }

  @Override
  public void read(int chunkIndex, int indexInChunk, byte[] into) throws IOException {
    if (into.length != frameBytes)
      throw new IllegalArgumentException("buffer of " + into.length + " bytes");
    FileChannel ch = open.get(chunkIndex);
    if (ch == null) {
      Path file = files.get(chunkIndex);
      if (file == null) throw new IOException("no frames file for chunk " + chunkIndex);
      ch = FileChannel.open(file, StandardOpenOption.READ);
      open.put(chunkIndex, ch);
    }
    ByteBuffer buf = ByteBuffer.wrap(into);
    long base = (long) indexInChunk * frameBytes;
    while (buf.hasRemaining()) {
      if (ch.read(buf, base + buf.position()) < 0) {
        throw new EOFException(
            "chunk "
                + chunkIndex
                + " has no frame "
                + indexInChunk
                + " in "
                + files.get(chunkIndex));
      }
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (FileChannel ch : open.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        if (first == null) first = e;
      }
    }
    open.clear();
    if (first != null) throw first;
  }
}

package dev.reelfarm.encoder.stitching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.encoder.stitching.ClipAssembler.NativeFrame;
import dev.reelfarm.encoder.stitching.ClipAssembler.Seams;
import dev.reelfarm.encoder.stitching.ClipAssembler.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipAssemblerTest {

  // Sequential plan: chunk 1's window starts 4 frames early (its context), it owns only new frames.
  private static final List<ChunkWindow> SEQUENTIAL =
      List.of(new ChunkWindow(0, 0, 16, 0, 16), new ChunkWindow(1, 12, 20, 16, 32));

  @Test
  void everyFrameComesFromTheChunkThatOwnsItAtItsIndexInTheWindow() {
    ClipAssembler clip = ClipAssembler.of(32, SEQUENTIAL);
    assertThat(clip.frame(0).sources()).containsExactly(new Source(0, 0, 1.0));
    assertThat(clip.frame(15).sources()).containsExactly(new Source(0, 15, 1.0));
    assertThat(clip.frame(16).sources()).containsExactly(new Source(1, 4, 1.0));
    assertThat(clip.frame(31).sources()).containsExactly(new Source(1, 19, 1.0));
  }

  @Test
  void chunksListedOutOfOrderAreStitchedInFrameOrder() {
    ClipAssembler clip = ClipAssembler.of(32, List.of(SEQUENTIAL.get(1), SEQUENTIAL.get(0)));
    assertThat(clip.chunksInOrder()).extracting(ChunkWindow::chunkIndex).containsExactly(0, 1);
    assertThat(clip.frame(20).sources()).containsExactly(new Source(1, 8, 1.0));
  }

  @Test
  void aGapBetweenOwnedRangesIsRejectedNamingTheFramesAndTheChunk() {
    assertThatThrownBy(
            () ->
                ClipAssembler.of(
                    32,
                    List.of(new ChunkWindow(0, 0, 16, 0, 15), new ChunkWindow(7, 16, 16, 16, 32))))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("gap")
        .hasMessageContaining("[15, 16)")
        .hasMessageContaining("chunk 7");
  }

  @Test
  void overlappingOwnedRangesAreRejectedNamingBothChunks() {
    assertThatThrownBy(
            () ->
                ClipAssembler.of(
                    32,
                    List.of(new ChunkWindow(0, 0, 17, 0, 17), new ChunkWindow(1, 16, 16, 16, 32))))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("overlap")
        .hasMessageContaining("chunk 0")
        .hasMessageContaining("chunk 1")
        .hasMessageContaining("[16, 17)");
  }

  @Test
  void framesOwnedByNobodyAtTheStartOrEndAreRejected() {
    assertThatThrownBy(() -> ClipAssembler.of(32, List.of(new ChunkWindow(0, 0, 32, 1, 32))))
        .hasMessageContaining("[0, 1)");
    assertThatThrownBy(() -> ClipAssembler.of(32, List.of(new ChunkWindow(0, 0, 16, 0, 16))))
        .hasMessageContaining("[16, 32)")
        .hasMessageContaining("chunk 0");
    assertThatThrownBy(() -> ClipAssembler.of(16, SEQUENTIAL))
        .hasMessageContaining("chunk 1")
        .hasMessageContaining("past the clip");
  }

  @Test
  void aChunkOwningFramesOutsideItsWindowIsRejected() {
    assertThatThrownBy(() -> ClipAssembler.of(16, List.of(new ChunkWindow(3, 0, 8, 0, 16))))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("chunk 3")
        .hasMessageContaining("outside its window");
  }

  @Test
  void duplicateChunksAndEmptyPlansAreRejected() {
    assertThatThrownBy(() -> ClipAssembler.of(32, List.of(SEQUENTIAL.get(0), SEQUENTIAL.get(0))))
        .hasMessageContaining("chunk 0 appears more than once");
    assertThatThrownBy(() -> ClipAssembler.of(32, List.of())).hasMessageContaining("no chunks");
    assertThatThrownBy(() -> ClipAssembler.of(0, SEQUENTIAL)).hasMessageContaining("totalFrames");
  }

  @Test
  void hardCutsIgnoreTheContextFramesOfTheNextChunk() {
    ClipAssembler clip = ClipAssembler.of(32, SEQUENTIAL, Seams.HARD_CUT);
    for (int g = 12; g < 16; g++)
      assertThat(clip.frame(g).sources()).containsExactly(new Source(0, g, 1.0));
  }

  @Test
  void crossFadeMixesTheFramesBothNeighboursRenderedWithRisingWeights() {
    ClipAssembler clip = ClipAssembler.of(32, SEQUENTIAL, Seams.CROSS_FADE);
    assertThat(clip.frame(11).sources()).containsExactly(new Source(0, 11, 1.0));
    for (int i = 0; i < 4; i++) {
      NativeFrame f = clip.frame(12 + i);
      double later = (i + 1) / 5.0;
      assertThat(f.sources()).hasSize(2);
      assertThat(f.sources().get(0).chunkIndex()).isZero();
      assertThat(f.sources().get(0).indexInChunk()).isEqualTo(12 + i);
      assertThat(f.sources().get(0).weight()).isCloseTo(1 - later, within(1e-12));
      assertThat(f.sources().get(1).chunkIndex()).isEqualTo(1);
      assertThat(f.sources().get(1).indexInChunk()).isEqualTo(i);
      assertThat(f.sources().get(1).weight()).isCloseTo(later, within(1e-12));
    }
    assertThat(clip.frame(16).sources()).containsExactly(new Source(1, 4, 1.0));
  }

  @Test
  void crossFadeSpansOverlapsOnBothSidesOfTheOwnershipBoundary() {
    // Anchored-style: both windows reach 2 frames past the boundary at 16.
    ClipAssembler clip =
        ClipAssembler.of(
            32,
            List.of(new ChunkWindow(0, 0, 18, 0, 16), new ChunkWindow(1, 14, 18, 16, 32)),
            Seams.CROSS_FADE);
    double[] weights = OverlapBlender.laterChunkWeights(4);
    for (int g = 14; g < 18; g++) {
      assertThat(clip.frame(g).sources().get(1).weight()).isCloseTo(weights[g - 14], within(1e-12));
      assertThat(clip.frame(g).sources().get(1).indexInChunk()).isEqualTo(g - 14);
    }
    assertThat(clip.frame(18).sources()).containsExactly(new Source(1, 4, 1.0));
  }

  @Test
  void aChunkShorterThanItsTwoOverlapsIsRejectedForCrossFades() {
    List<ChunkWindow> plan =
        List.of(
            new ChunkWindow(0, 0, 8, 0, 4),
            new ChunkWindow(1, 0, 8, 4, 6), // both fades would cover frames 4..5
            new ChunkWindow(2, 2, 8, 6, 10));
    assertThat(ClipAssembler.of(10, plan)).isNotNull(); // fine with hard cuts
    assertThatThrownBy(() -> ClipAssembler.of(10, plan, Seams.CROSS_FADE))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("chunk 1");
  }

  @Test
  void framesReadyGrowChunkByChunkAndWaitForTheFadeIntoTheNextChunk() {
    ClipAssembler cut = ClipAssembler.of(32, SEQUENTIAL);
    assertThat(cut.framesReadyWith(0)).isZero();
    assertThat(cut.framesReadyWith(1)).isEqualTo(16);
    assertThat(cut.framesReadyWith(2)).isEqualTo(32);
    ClipAssembler fade = ClipAssembler.of(32, SEQUENTIAL, Seams.CROSS_FADE);
    assertThat(fade.framesReadyWith(1)).isEqualTo(12);
    assertThat(fade.framesReadyWith(2)).isEqualTo(32);
  }
}

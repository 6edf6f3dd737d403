package dev.reelfarm.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  private static final long LENGTH = 1000;

  @Test
  void aClosedRangeIsServedAsAsked() {
    ByteRange r = ByteRange.parse("bytes=0-99", LENGTH);
    assertThat(r).isEqualTo(new ByteRange(0, 99, true));
    assertThat(r.length()).isEqualTo(100);
  }

  @Test
  void anOpenRangeRunsToTheEnd() {
    assertThat(ByteRange.parse("bytes=900-", LENGTH)).isEqualTo(new ByteRange(900, 999, true));
  }

  @Test
  void aSuffixRangeIsTheLastBytes() {
    assertThat(ByteRange.parse("bytes=-100", LENGTH)).isEqualTo(new ByteRange(900, 999, true));
    assertThat(ByteRange.parse("bytes=-5000", LENGTH))
        .as("longer than the file: all of it")
        .isEqualTo(new ByteRange(0, 999, true));
  }

  @Test
  void anEndPastTheFileIsClampedToTheLastByte() {
    assertThat(ByteRange.parse("bytes=500-5000", LENGTH)).isEqualTo(new ByteRange(500, 999, true));
  }

  @Test
  void aStartAtOrPastTheEndIsUnsatisfiable() {
    assertThat(ByteRange.parse("bytes=1000-", LENGTH).satisfiable()).isFalse();
    assertThat(ByteRange.parse("bytes=2000-2100", LENGTH).satisfiable()).isFalse();
    assertThat(ByteRange.parse("bytes=50-10", LENGTH).satisfiable())
        .as("end before start")
        .isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"items=0-10", "bytes=0-10,20-30", "bytes=abc-", "bytes=10", "bytes=-x"})
  void anUnusableHeaderMeansTheWholeFile(String header) {
    assertThat(ByteRange.parse(header, LENGTH)).isNull();
  }
}

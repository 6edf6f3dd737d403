package dev.reelfarm.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class WorkerTimingsTest {
  @Test
  void sumsTheChunksTextDenoiseAndDecodeTimes() throws Exception {
    var job = new ObjectMapper().readTree("""
        {"chunks": [{"textMs": 20, "denoiseMs": 1600, "decodeMs": 3},
                    {"textMs": 15, "denoiseMs": 1500, "decodeMs": null}]}""");

    assertThat(RenderCommand.workerTimings(job))
        .isEqualTo("workers: 2 chunks, text encoding 0.04 s + denoising 3.1 s + decoding 0.00 s (summed over chunks)");
  }
}

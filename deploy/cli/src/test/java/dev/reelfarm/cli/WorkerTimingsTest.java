package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.schema.api.RenderView;
import org.junit.jupiter.api.Test;

class WorkerTimingsTest {
  @Test
  void sumsTheChunksTextDenoiseAndDecodeTimes() throws Exception {
    var job =
        FarmApi.JSON.readValue(
            """
        {"chunks": [{"textMs": 20, "denoiseMs": 1600, "decodeMs": 3},
                    {"textMs": 15, "denoiseMs": 1500, "decodeMs": null}]}""",
            RenderView.class);

    assertThat(RenderCommand.workerTimings(job))
        .isEqualTo(
            "workers: 2 chunks, text encoding 0.04 s + denoising 3.1 s + decoding 0.00 s (summed over chunks)");
  }
}

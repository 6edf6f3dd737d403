package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.schema.api.RenderView;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  private static RenderView json(String s) throws Exception {
    return FarmApi.JSON.readValue(s.replace('\'', '"'), RenderView.class);
  }

  @Test
  void runningJobShowsDoneChunksTheRunningChunksStepAndEta() throws Exception {
    RenderView job =
        json(
            "{'status':'RUNNING','progress':0.42,'etaSeconds':6,'chunks':["
                + "{'index':0,'status':'DONE','attempt':1,'step':25,'steps':25},"
                + "{'index':1,'status':'DONE','attempt':1,'step':25,'steps':25},"
                + "{'index':2,'status':'RUNNING','attempt':1,'workerId':'worker-1','step':12,'steps':25},"
                + "{'index':3,'status':'READY','attempt':0},{'index':4,'status':'PENDING','attempt':0}]}");
    assertThat(ProgressLine.format(job))
        .isEqualTo("[########............]  42% chunks 2/5 · chunk 3 step 12/25 · ETA 6s");
  }

  @Test
  void severalRunningChunksAndARetriedAttemptAreShown() throws Exception {
    RenderView job =
        json(
            "{'status':'RUNNING','progress':0.5,'etaSeconds':null,'chunks':["
                + "{'index':1,'status':'RUNNING','attempt':2,'step':3,'steps':10},"
                + "{'index':2,'status':'RUNNING','attempt':1,'step':4,'steps':10}]}");
    assertThat(ProgressLine.format(job))
        .isEqualTo(
            "[##########..........]  50% chunks 0/2 · chunk 1 step 3/10 attempt 2 (+1 running)");
  }

  @Test
  void queuedEncodingAndFinishedStatesAreNamed() throws Exception {
    assertThat(ProgressLine.format(json("{'status':'QUEUED','progress':0,'chunks':[]}")))
        .isEqualTo("[....................]   0% · queued");
    assertThat(ProgressLine.format(json("{'status':'ENCODING','progress':0.95,'etaSeconds':65}")))
        .endsWith("95% · encoding · ETA 1m05s");
    assertThat(ProgressLine.format(json("{'status':'SUCCEEDED','progress':null,'etaSeconds':0}")))
        .isEqualTo("[####################] 100% · succeeded");
  }

  @Test
  void progressFallsBackToDoneChunksWhenTheApiGivesNone() throws Exception {
    RenderView job =
        json(
            "{'status':'RUNNING','chunks':[{'index':0,'status':'DONE'},{'index':1,'status':'READY'}]}");
    assertThat(ProgressLine.format(job)).startsWith("[##########..........]  50% chunks 1/2");
  }

  @Test
  void etaIsCompact() {
    assertThat(ProgressLine.eta(6.4)).isEqualTo("6s");
    assertThat(ProgressLine.eta(125)).isEqualTo("2m05s");
    assertThat(ProgressLine.eta(3 * 3600 + 120)).isEqualTo("3h02m");
  }
}

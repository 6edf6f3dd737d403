package dev.reelfarm.worker.runtime;

import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.worker.diffusion.LatentShape;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only faults around a real {@link ChunkRenderer} (all off by default, see {@code
 * reelfarm.worker.fault.*}): a rendering thread that hangs at a step while the process, its
 * heartbeat and its consumer-group membership stay alive; a worker that fails every chunk; a
 * process that halts like a native crash on a poison chunk. The faults act in the step callback,
 * never inside the diffusion math.
 */
public final class FaultInjectingRenderer implements ChunkRenderer {
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjectingRenderer.class);

  /** The exit status of an injected crash: SIGABRT's, as a native crash would end. */
  public static final int CRASH_STATUS = 134;

  /**
   * @param hangAtStep the first chunk to reach this step blocks there (0: never)
   * @param hangMs how long it blocks; -1: forever
   * @param failEveryChunk every chunk fails at its first step
   * @param crashOnPrompt the process halts at the first step of a chunk whose prompt contains this
   *     (null: never)
   */
  public record Faults(int hangAtStep, long hangMs, boolean failEveryChunk, String crashOnPrompt) {
    public static final Faults NONE = new Faults(0, -1, false, null);

    public boolean any() {
      return hangAtStep > 0 || failEveryChunk || crashOnPrompt != null;
    }

    boolean crashes(ChunkTask task) {
      return crashOnPrompt != null
          && task.prompt() != null
          && task.prompt().contains(crashOnPrompt);
    }
  }

  /** Thrown by every chunk of a worker with {@code fail-every-chunk}. */
  public static final class InjectedFailure extends Exception {
    InjectedFailure(String message) {
      super(message);
    }
  }

  private final ChunkRenderer renderer;
  private final Faults faults;
  private final IntConsumer halt;
  private final AtomicBoolean hung = new AtomicBoolean();

  /**
   * @param halt ends the process with the given status ({@code Runtime.getRuntime()::halt}: no
   *     shutdown hook runs, like a native crash)
   */
  public FaultInjectingRenderer(ChunkRenderer renderer, Faults faults, IntConsumer halt) {
    this.renderer = renderer;
    this.faults = faults;
    this.halt = halt;
  }

  /** {@code renderer} itself when no fault is configured. */
  public static ChunkRenderer wrap(ChunkRenderer renderer, Faults faults) {
    if (!faults.any()) return renderer;
    LOG.warn("FAULT INJECTION is on (test only): {}", faults);
    return new FaultInjectingRenderer(renderer, faults, Runtime.getRuntime()::halt);
  }

  @Override
  public LatentShape latentShape() {
    return renderer.latentShape();
  }

  @Override
  public RenderedChunk render(ChunkTask task, DenoiseLoop.StepListener listener) throws Exception {
    return renderer.render(
        task,
        (step, steps, denoised) -> {
          if (step == 1) failOrCrash(task);
          if (step == faults.hangAtStep() && hung.compareAndSet(false, true)) hang(task, step);
          listener.onStep(step, steps, denoised);
        });
  }

  private void failOrCrash(ChunkTask task) throws InjectedFailure {
    if (faults.crashes(task)) {
      LOG.error(
          "fault injection: crashing on chunk {} of job {} (prompt contains \"{}\")",
          task.chunkIndex(),
          task.jobId(),
          faults.crashOnPrompt());
      halt.accept(CRASH_STATUS);
    }
    if (faults.failEveryChunk()) {
      throw new InjectedFailure("fault injection: reelfarm.worker.fault.fail-every-chunk is on");
    }
  }

  private void hang(ChunkTask task, int step) throws InterruptedException {
    LOG.warn(
        "fault injection: chunk {} of job {} hangs at step {} for {}",
        task.chunkIndex(),
        task.jobId(),
        step,
        faults.hangMs() < 0 ? "ever" : faults.hangMs() + " ms");
    TimeUnit.MILLISECONDS.sleep(faults.hangMs() < 0 ? Long.MAX_VALUE : faults.hangMs());
    LOG.warn("fault injection: chunk {} of job {} goes on", task.chunkIndex(), task.jobId());
  }
}

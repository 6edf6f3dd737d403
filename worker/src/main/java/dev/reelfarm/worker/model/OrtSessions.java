package dev.reelfarm.worker.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the execution device once at start-up (CUDA when the ONNX Runtime build and a GPU offer
 * it, CPU otherwise) and creates sessions with it, so every model of a worker runs on one device.
 */
public final class OrtSessions {
  private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final int intraOpThreads;
  private final boolean cuda;

  public OrtSessions(int intraOpThreads, boolean allowCuda) {
    this.intraOpThreads = intraOpThreads;
    this.cuda = allowCuda && cudaAvailable();
    LOG.info("ONNX Runtime device: {} ({} intra-op threads)", device(), intraOpThreads);
  }

  /** "CUDA" or "CPU": what this worker reports in its heartbeats. */
  public String device() {
    return cuda ? "CUDA" : "CPU";
  }

  public OrtEnvironment environment() {
    return env;
  }

  public OrtSession open(byte[] model) throws OrtException {
    try (OrtSession.SessionOptions options = options()) {
      return env.createSession(model, options);
    }
  }

  public OrtSession open(String path) throws OrtException {
    try (OrtSession.SessionOptions options = options()) {
      return env.createSession(path, options);
    }
  }

  private OrtSession.SessionOptions options() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(intraOpThreads);
    options.setInterOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    if (cuda) options.addCUDA(0);
    return options;
  }

  private static boolean cudaAvailable() {
    EnumSet<ai.onnxruntime.OrtProvider> providers = OrtEnvironment.getAvailableProviders();
    if (!providers.contains(ai.onnxruntime.OrtProvider.CUDA)) return false;
    try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
      probe.addCUDA(0); // throws when the CUDA libraries or a GPU are missing
      return true;
    } catch (OrtException | RuntimeException e) {
      LOG.warn("CUDA execution provider present but unusable, using CPU: {}", e.getMessage());
      return false;
    }
  }
}

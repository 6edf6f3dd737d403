import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Developer check, not part of the build: runs a bundle's golden fixture through ONNX Runtime with
 * a straight port of models/training/ddim.py and prints the max abs differences and timings.
 *
 * <pre>java -cp 'worker/target/lib/*' models/training/tools/OrtCheck.java models/tiny-shapes</pre>
 */
public class OrtCheck {
  record Npy(long[] shape, float[] data) {}

  static Npy npy(Path p) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    int major = b.get(6);
    b.position(8);
    int hlen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
    byte[] h = new byte[hlen];
    b.get(h);
    String header = new String(h);
    if (!header.contains("'<f4'")) throw new IOException(p + ": not float32: " + header);
    String s = header.substring(header.indexOf("(") + 1, header.indexOf(")")).replace(" ", "");
    String[] parts = s.split(",");
    int n = 0;
    for (String x : parts) if (!x.isEmpty()) n++;
    long[] shape = new long[n];
    int i = 0;
    long total = 1;
    for (String x : parts) if (!x.isEmpty()) total *= (shape[i++] = Long.parseLong(x));
    float[] d = new float[(int) total];
    b.asFloatBuffer().get(d);
    return new Npy(shape, d);
  }

  static double[] alphasCumprod(JsonNode c) {
    int n = c.get("num_train_timesteps").asInt();
    String kind = c.get("beta_schedule").asText();
    double b0 = c.get("beta_start").asDouble(), b1 = c.get("beta_end").asDouble();
    double[] acp = new double[n];
    double prod = 1;
    for (int i = 0; i < n; i++) {
      double beta;
      if (kind.equals("linear")) beta = b0 + (b1 - b0) * i / (n - 1);
      else if (kind.equals("scaled_linear")) {
        double s = Math.sqrt(b0) + (Math.sqrt(b1) - Math.sqrt(b0)) * i / (n - 1);
        beta = s * s;
      } else throw new IllegalArgumentException(kind);
      prod *= 1 - beta;
      acp[i] = prod;
    }
    return acp;
  }

  static long[] timesteps(JsonNode c, int steps) {
    int n = c.get("num_train_timesteps").asInt();
    String spacing = c.get("timestep_spacing").asText();
    long[] t = new long[steps];
    for (int i = 0; i < steps; i++) {
      if (spacing.equals("trailing")) t[i] = (long) Math.rint(n - i * ((double) n / steps)) - 1;
      else if (spacing.equals("leading"))
        t[i] = (long) (steps - 1 - i) * (n / steps) + c.get("steps_offset").asInt();
      else throw new IllegalArgumentException(spacing);
    }
    return t;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ObjectMapper om = new ObjectMapper();
    JsonNode man = om.readTree(dir.resolve("bundle.json").toFile());
    JsonNode sched = om.readTree(dir.resolve(man.get("schedulerConfig").asText()).toFile());
    JsonNode golden = om.readTree(dir.resolve("golden/golden.json").toFile());
    JsonNode den = man.get("denoiser");
    boolean native_ = man.get("conditioning").asText().equals("native");
    boolean int64 = den.get("timestepType").asText().equals("int64");
    String pred = man.get("predictionType").asText();
    Map<String, Npy> g = new HashMap<>();
    for (var it = golden.get("files").fields(); it.hasNext(); ) {
      var e = it.next();
      g.put(e.getKey(), npy(dir.resolve("golden").resolve(e.getValue().get("file").asText())));
    }
    int steps = golden.get("steps").asInt();
    double guidance = golden.get("guidanceScale").asDouble();
    var env = OrtEnvironment.getEnvironment();
    var opts = new OrtSession.SessionOptions();
    opts.setIntraOpNumThreads(2);
    opts.setInterOpNumThreads(1);
    try (OrtSession s = env.createSession(dir.resolve(den.get("path").asText()).toString(), opts)) {
      Npy noise = g.get("noise");
      int n = noise.data.length;
      long[] ts = timesteps(sched, steps);
      // 1. one plain call
      float[] out1 = run(env, s, den, native_, int64, noise.shape, 1, noise.data, ts[0],
          g.get("cond_hidden"), g.get("cond_mask"), g, false);
      System.out.printf("first_step_out  max|diff| = %.3g%n", maxDiff(out1, g.get("first_step_out").data));
      // 2. DDIM + CFG loop, batch [uncond; cond]
      double[] acp = alphasCumprod(sched);
      int ntrain = sched.get("num_train_timesteps").asInt();
      double finalAcp = sched.get("set_alpha_to_one").asBoolean() ? 1.0 : acp[0];
      double[] x = new double[n];
      for (int i = 0; i < n; i++) x[i] = noise.data[i];
      long start = System.nanoTime();
      for (long t : ts) {
        float[] xf = new float[2 * n];
        for (int i = 0; i < n; i++) xf[i] = xf[n + i] = (float) x[i];
        float[] out = run(env, s, den, native_, int64, noise.shape, 2, xf, t,
            cat(g.get("uncond_hidden"), g.get("cond_hidden")), cat(g.get("uncond_mask"), g.get("cond_mask")), g, true);
        long prev = t - ntrain / steps;
        double at = acp[(int) t], ap = prev >= 0 ? acp[(int) prev] : finalAcp, bt = 1 - at;
        for (int i = 0; i < n; i++) {
          double m = out[i] + guidance * (out[n + i] - out[i]);
          double x0, eps;
          if (pred.equals("v_prediction")) {
            x0 = Math.sqrt(at) * x[i] - Math.sqrt(bt) * m;
            eps = Math.sqrt(at) * m + Math.sqrt(bt) * x[i];
          } else if (pred.equals("epsilon")) {
            x0 = (x[i] - Math.sqrt(bt) * m) / Math.sqrt(at);
            eps = m;
          } else {
            x0 = m;
            eps = (x[i] - Math.sqrt(at) * x0) / Math.sqrt(bt);
          }
          x[i] = Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps;
        }
      }
      double ms = (System.nanoTime() - start) / 1e6;
      float[] xf = new float[n];
      for (int i = 0; i < n; i++) xf[i] = (float) x[i];
      System.out.printf("final_latents   max|diff| = %.3g  (%d steps, %.1f ms/step at batch 2)%n",
          maxDiff(xf, g.get("final_latents").data), steps, ms / steps);
    }
    if (g.containsKey("decoded_frame0")) {
      JsonNode vae = man.get("vaeDecoder");
      try (OrtSession s = env.createSession(dir.resolve(vae.get("path").asText()).toString(), opts)) {
        Npy fin = g.get("final_latents");
        long[] sh = fin.shape; // frame 0 as [1, C, h, w]
        boolean bcfhw = man.get("latentLayout").asText().equals("BCFHW");
        int c = (int) (bcfhw ? sh[1] : sh[2]), f = (int) (bcfhw ? sh[2] : sh[1]);
        int hw = (int) (sh[3] * sh[4]);
        float[] z = new float[c * hw];
        double sf = man.get("vaeScalingFactor").asDouble();
        for (int ch = 0; ch < c; ch++)
          for (int p = 0; p < hw; p++)
            z[ch * hw + p] = (float) (fin.data[bcfhw ? (ch * f) * hw + p : ch * hw + p] / sf);
        try (var tz = OnnxTensor.createTensor(env, FloatBuffer.wrap(z), new long[] {1, c, sh[3], sh[4]});
            var r = s.run(Map.of(vae.get("input").asText(), tz))) {
          float[] img = flat((OnnxTensor) r.get(0));
          System.out.printf("decoded_frame0  max|diff| = %.3g%n", maxDiff(img, g.get("decoded_frame0").data));
        }
      }
    }
  }

  static Npy cat(Npy a, Npy b) {
    float[] d = new float[a.data.length + b.data.length];
    System.arraycopy(a.data, 0, d, 0, a.data.length);
    System.arraycopy(b.data, 0, d, a.data.length, b.data.length);
    long[] sh = a.shape.clone();
    sh[0] = a.shape[0] + b.shape[0];
    return new Npy(sh, d);
  }

  static float[] rep(float[] a, int times) {
    float[] d = new float[a.length * times];
    for (int i = 0; i < times; i++) System.arraycopy(a, 0, d, i * a.length, a.length);
    return d;
  }

  static float[] run(OrtEnvironment env, OrtSession s, JsonNode den, boolean native_, boolean int64,
      long[] shape1, int batch, float[] sample, long t, Npy hidden, Npy mask, Map<String, Npy> g, boolean dup)
      throws Exception {
    long[] shape = shape1.clone();
    shape[0] = batch;
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      in.put(den.get("sampleInput").asText(), OnnxTensor.createTensor(env, FloatBuffer.wrap(sample), shape));
      if (int64) {
        long[] tv = new long[batch];
        java.util.Arrays.fill(tv, t);
        in.put(den.get("timestepInput").asText(), OnnxTensor.createTensor(env, LongBuffer.wrap(tv), new long[] {batch}));
      } else {
        float[] tv = new float[batch];
        java.util.Arrays.fill(tv, t);
        in.put(den.get("timestepInput").asText(), OnnxTensor.createTensor(env, FloatBuffer.wrap(tv), new long[] {batch}));
      }
      in.put(den.get("textInput").asText(), OnnxTensor.createTensor(env, FloatBuffer.wrap(hidden.data), hidden.shape));
      in.put(den.get("textMaskInput").asText(), OnnxTensor.createTensor(env, FloatBuffer.wrap(mask.data), mask.shape));
      if (native_) {
        Npy ctx = g.get("context"), cm = g.get("context_mask");
        long[] cs = ctx.shape.clone();
        cs[0] = batch;
        in.put(den.get("contextInput").asText(), OnnxTensor.createTensor(env, FloatBuffer.wrap(rep(ctx.data, batch)), cs));
        in.put(den.get("contextMaskInput").asText(),
            OnnxTensor.createTensor(env, FloatBuffer.wrap(rep(cm.data, batch)), new long[] {batch, cm.shape[1]}));
      }
      if (den.hasNonNull("frameStrideInput")) {
        in.put(den.get("frameStrideInput").asText(),
            OnnxTensor.createTensor(env, FloatBuffer.wrap(rep(g.get("frame_stride").data, batch)), new long[] {batch}));
      }
      try (var r = s.run(in)) {
        return flat((OnnxTensor) r.get(0));
      }
    } finally {
      for (var v : in.values()) v.close();
    }
  }

  static float[] flat(OnnxTensor t) {
    FloatBuffer fb = t.getFloatBuffer();
    float[] d = new float[fb.remaining()];
    fb.get(d);
    return d;
  }

  static double maxDiff(float[] a, float[] b) {
    if (a.length != b.length) throw new IllegalStateException(a.length + " vs " + b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }
}

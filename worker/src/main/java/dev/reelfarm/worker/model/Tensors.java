package dev.reelfarm.worker.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.FloatBuffer;

/**
 * The tensor boundary: the worker computes in float32, and an ONNX model whose input is float16
 * (half-precision exports, e.g. LTX-Video's) gets its values converted here; float16 outputs are
 * read back as float32. Nothing else in the worker knows a model's precision.
 */
final class Tensors {

  private Tensors() {}

  /**
   * A float tensor for {@code input} of {@code session}, in the element type the model declares.
   */
  static OnnxTensor floats(
      OrtEnvironment env, OrtSession session, String input, float[] values, long[] shape)
      throws OrtException {
    if (isFloat16(session, input)) {
      return OnnxTensor.createTensor(
          env,
          Fp16Conversions.convertFloatBufferToFp16Buffer(FloatBuffer.wrap(values)),
          shape,
          OnnxJavaType.FLOAT16);
    }
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
  }

  /** A float32 or float16 tensor's values as float32. */
  static float[] read(OnnxTensor tensor) {
    FloatBuffer buffer =
        tensor.getInfo().type == OnnxJavaType.FLOAT16
            ? Fp16Conversions.convertFp16BufferToFloatBuffer(tensor.getShortBuffer())
            : tensor.getFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private static boolean isFloat16(OrtSession session, String input) throws OrtException {
    NodeInfo info = session.getInputInfo().get(input);
    return info != null && info.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT16;
  }
}

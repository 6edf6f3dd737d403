package dev.reelfarm.cli;

import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.RenderMode;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option types picocli does not check by itself. */
final class Converters {

  /** An integer of at least 1 (--workers, --worker-threads). */
  static final class AtLeastOne implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("must be an integer, got '" + value + "'");
      }
      if (n < 1) throw new TypeConversionException("must be at least 1");
      return n;
    }
  }

  /** A finite number: NaN and infinities are no clip length or guidance scale. */
  static final class Finite implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double d = Double.parseDouble(value.trim());
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
        return d;
      } catch (NumberFormatException e) {
        throw new TypeConversionException("must be a number, got '" + value + "'");
      }
    }
  }

  /** A render mode by its API name, as the orchestrator reads it (any case). */
  static final class Mode implements ITypeConverter<RenderMode> {
    @Override
    public RenderMode convert(String value) {
      return RenderMode.find(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "--mode must be one of "
                          + Arrays.stream(RenderMode.values())
                              .map(RenderMode::id)
                              .collect(Collectors.joining(", "))
                          + ", not '"
                          + value
                          + "'"));
    }
  }

  /** An API key scope by its name (submit, read, cancel, admin). */
  static final class Scope implements ITypeConverter<ApiScope> {
    @Override
    public ApiScope convert(String value) {
      return ApiScope.find(value.strip().toLowerCase(java.util.Locale.ROOT))
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "--scopes: each one of submit, read, cancel, admin, not '" + value + "'"));
    }
  }

  private Converters() {}
}

package dev.reelfarm.orchestrator.submission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.ReviewMode;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.presets.Interpolation;
import dev.reelfarm.schema.presets.Preset;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Turns a request body into a {@link RenderRequest}, or an {@link InvalidRequestException} naming
 * the first bad field. Parsing the JSON tree by hand (rather than binding) is what lets every error
 * name its field, including type errors like a non-numeric seed.
 */
public final class RenderRequestParser {
  public static final int MAX_PROMPT_CHARS = 1000;
  static final Set<String> FIELDS =
      Set.of(
          "prompt",
          "negativePrompt",
          "durationSeconds",
          "preset",
          "seed",
          "steps",
          "guidanceScale",
          "priority",
          "mode",
          "interpolation",
          "webhook",
          "review",
          "model");

  private static final SecureRandom SEEDS = new SecureRandom();

  private final ObjectMapper mapper;
  private final ModelLookup models;
  private final LongSupplier randomSeed;

  /** {@code models}: what {@code model} may name; the chosen one's defaults fill in the rest. */
  public RenderRequestParser(ObjectMapper mapper, ModelLookup models, LongSupplier randomSeed) {
    this.mapper = mapper;
    this.models = models;
    this.randomSeed = randomSeed;
  }

  public RenderRequest parse(String body) {
    return parse(object(mapper, body, FIELDS, true));
  }

  /** A request from a JSON object (a batch's shot merged with its defaults, for one). */
  public RenderRequest parse(JsonNode root) {
    requireKnownFields(root, FIELDS);
    String prompt = text(root, "prompt", true);
    if (prompt.isBlank()) throw new InvalidRequestException("prompt", "must not be empty");
    if (prompt.length() > MAX_PROMPT_CHARS) {
      throw new InvalidRequestException(
          "prompt",
          "must be at most " + MAX_PROMPT_CHARS + " characters (got " + prompt.length() + ")");
    }
    String negative = text(root, "negativePrompt", false);
    if (negative.length() > MAX_PROMPT_CHARS) {
      throw new InvalidRequestException(
          "negativePrompt", "must be at most " + MAX_PROMPT_CHARS + " characters");
    }
    double duration = number(root, "durationSeconds", 4.0);
    if (!(duration >= 1 && duration <= 60))
      throw new InvalidRequestException("durationSeconds", "must be between 1 and 60 seconds");
    String presetName = root.has("preset") ? text(root, "preset", true) : Preset.TIKTOK.id();
    Preset preset =
        Preset.find(presetName)
            .orElseThrow(
                () -> InvalidRequestException.unknownValue("preset", presetName, Preset.names()));
    // A request that names its platform gets a clip that platform accepts. The default preset
    // keeps the farm's 1 s minimum: it is the farm's format, not a promise to post (decisions.md).
    if (root.has("preset")) {
      preset
          .durationRule(duration)
          .ifPresent(
              rule -> {
                throw new InvalidRequestException("durationSeconds", rule);
              });
    }
    long seed = seed(root).orElseGet(randomSeed::getAsLong);
    BundleFacts model = model(root);
    int steps = (int) integer(root, "steps", model.defaultSteps());
    if (steps < 1 || steps > 100)
      throw new InvalidRequestException("steps", "must be between 1 and 100");
    double guidance = number(root, "guidanceScale", model.defaultGuidanceScale());
    if (!(guidance >= 0 && guidance <= 30))
      throw new InvalidRequestException("guidanceScale", "must be between 0 and 30");
    int priority = priority(root, 0);
    RenderMode mode = null; // the planner picks: anchored for long clips, sequential for short ones
    if (root.has("mode") && !root.get("mode").isNull()) {
      String name = text(root, "mode", true);
      mode =
          RenderMode.find(name)
              .orElseThrow(
                  () ->
                      InvalidRequestException.unknownValue(
                          "mode",
                          name,
                          Arrays.stream(RenderMode.values()).map(RenderMode::id).toList()));
    }
    String webhook =
        root.has("webhook") && !root.get("webhook").isNull()
            ? WebhookUrls.syntax("webhook", text(root, "webhook", true)).toString()
            : null;
    Interpolation interpolation = null; // the preset's
    if (root.has("interpolation") && !root.get("interpolation").isNull()) {
      String name = text(root, "interpolation", true);
      interpolation =
          Interpolation.find(name)
              .orElseThrow(
                  () ->
                      InvalidRequestException.unknownValue(
                          "interpolation", name, Interpolation.names()));
    }
    ReviewMode review = review(root, mode);
    return new RenderRequest(
        prompt.strip(),
        negative.strip(),
        duration,
        preset,
        seed,
        steps,
        guidance,
        priority,
        mode,
        interpolation,
        webhook,
        review,
        model);
  }

  /** The named model, or the farm's default; an unknown name is a 400 naming {@code model}. */
  private BundleFacts model(JsonNode root) {
    if (!root.has("model") || root.get("model").isNull()) return models.defaultModel();
    String name = text(root, "model", true);
    return models
        .find(name.strip())
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "model",
                    "unknown model '"
                        + name
                        + "'; this farm has "
                        + String.join(", ", models.names())
                        + " (GET /api/v1/models)"));
  }

  /**
   * The review asked for, if any. Only an anchored plan has an anchor pass whose keyframes can be
   * reviewed; a request that names another mode is refused here, one too short for anchors when it
   * is planned.
   */
  private static ReviewMode review(JsonNode root, RenderMode mode) {
    if (!root.has("review") || root.get("review").isNull()) return null;
    String name = text(root, "review", true);
    ReviewMode review =
        ReviewMode.find(name)
            .orElseThrow(
                () ->
                    InvalidRequestException.unknownValue(
                        "review",
                        name,
                        Arrays.stream(ReviewMode.values()).map(ReviewMode::id).toList()));
    if (mode != null && mode != RenderMode.ANCHORED) {
      throw new InvalidRequestException(
          "review",
          "review '"
              + review.id()
              + "' needs the anchored mode (its anchor pass renders the keyframes); mode '"
              + mode.id()
              + "' has none");
    }
    return review;
  }

  /**
   * {@code body} as a JSON object whose fields are all among {@code fields}; a missing (null or
   * blank) body is an empty object unless {@code required}.
   */
  public static JsonNode object(
      ObjectMapper mapper, String body, Set<String> fields, boolean required) {
    if (body == null || body.isBlank()) {
      if (required) throw new InvalidRequestException("body", "a JSON object is required");
      return mapper.createObjectNode();
    }
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("body", "malformed JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject())
      throw new InvalidRequestException("body", "must be a JSON object");
    requireKnownFields(root, fields);
    return root;
  }

  /** A 400 naming the first field of {@code root} that is not among {@code fields}. */
  public static void requireKnownFields(JsonNode root, Set<String> fields) {
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      TextRules.requireValid(name, name);
      if (!fields.contains(name)) {
        throw new InvalidRequestException(
            name,
            "unknown field; expected one of "
                + fields.stream().sorted().collect(Collectors.joining(", ")));
      }
    }
  }

  /** A random non-negative seed, for a request that names none. */
  public static long freshSeed() {
    return SEEDS.nextLong() >>> 1;
  }

  /** The {@code priority} field, -100..100 ({@code absent} when it is missing or null). */
  public static int priority(JsonNode root, int absent) {
    long priority = integer(root, "priority", absent);
    if (priority < -100 || priority > 100)
      throw new InvalidRequestException("priority", "must be between -100 and 100");
    return (int) priority;
  }

  /** The {@code seed} field; empty when it is missing or null. */
  public static Optional<Long> seed(JsonNode root) {
    JsonNode node = root.get("seed");
    return node == null || node.isNull() ? Optional.empty() : Optional.of(seedValue(node));
  }

  static String text(JsonNode root, String field, boolean required) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      if (required) throw new InvalidRequestException(field, "is required");
      return "";
    }
    if (!node.isTextual()) throw new InvalidRequestException(field, "must be a string");
    TextRules.requireValid(field, node.textValue());
    return node.textValue();
  }

  static double number(JsonNode root, String field, double defaultValue) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) return defaultValue;
    if (!node.isNumber()) throw new InvalidRequestException(field, "must be a number");
    return node.doubleValue();
  }

  static long integer(JsonNode root, String field, long defaultValue) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) return defaultValue;
    if (!node.isIntegralNumber() || !node.canConvertToLong())
      throw new InvalidRequestException(field, "must be an integer");
    return node.longValue();
  }

  /**
   * Seeds are 64-bit: JSON numbers, or decimal strings for clients whose numbers are doubles. A bad
   * one is a 400 naming {@code seed}.
   */
  private static long seedValue(JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToLong()) return node.longValue();
    if (node.isTextual()) {
      try {
        return Long.parseLong(node.textValue().trim());
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw new InvalidRequestException(
        "seed", "must be an integer (a JSON number or a decimal string)");
  }
}

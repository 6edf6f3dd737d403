package dev.reelfarm.orchestrator.submission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelfarm.schema.api.BatchDelivery;
import dev.reelfarm.schema.api.ShotTransition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Turns a {@code POST /api/v1/batches} body into a {@link BatchRequest}, or an {@link
 * InvalidRequestException} naming the first bad field: a shot's fields as {@code
 * shots[2].durationSeconds} (each shot, merged over {@code defaults}, is checked by the render
 * request's own parser), the defaults' as {@code defaults.steps}.
 */
public final class BatchRequestParser {
  public static final double DEFAULT_TRANSITION_SECONDS = 0.5;
  public static final double MAX_TRANSITION_SECONDS = 2.0;
  static final Set<String> FIELDS =
      Set.of(
          "defaults", "shots", "variants", "deliver", "transition", "transitionSeconds", "webhook");

  private final ObjectMapper mapper;
  private final RenderRequestParser shots;
  private final int maxShots;
  private final LongSupplier randomSeed;

  public BatchRequestParser(
      ObjectMapper mapper, RenderRequestParser shots, int maxShots, LongSupplier randomSeed) {
    this.mapper = mapper;
    this.shots = shots;
    this.maxShots = maxShots;
    this.randomSeed = randomSeed;
  }

  public BatchRequest parse(String body) {
    JsonNode root = RenderRequestParser.object(mapper, body, FIELDS, true);
    ObjectNode defaults = defaults(root.get("defaults"));
    boolean hasShots = present(root, "shots");
    boolean hasVariants = present(root, "variants");
    if (hasShots && hasVariants)
      throw new InvalidRequestException(
          "variants", "give either shots or variants (renders of the defaults' prompt), not both");
    if (!hasShots && !hasVariants)
      throw new InvalidRequestException(
          "shots", "is required: a list of shots, or variants with a prompt in defaults");
    List<RenderRequest> requests =
        hasShots ? shots(root.get("shots"), defaults) : variants(root, defaults);
    BatchDelivery deliver = BatchDelivery.CLIPS;
    if (present(root, "deliver")) {
      String name = RenderRequestParser.text(root, "deliver", true);
      deliver =
          BatchDelivery.find(name)
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "deliver",
                          "unknown delivery '" + name + "'; expected clips or sequence"));
    }
    ShotTransition transition = null;
    Double transitionSeconds = null;
    if (deliver == BatchDelivery.SEQUENCE) {
      sharedPreset(requests);
      transition = transition(root);
      transitionSeconds = transitionSeconds(root, transition, requests);
    } else {
      for (String field : List.of("transition", "transitionSeconds"))
        if (present(root, field))
          throw new InvalidRequestException(
              field, "only a sequence has transitions (deliver: sequence)");
    }
    String webhook =
        present(root, "webhook")
            ? WebhookUrls.syntax("webhook", RenderRequestParser.text(root, "webhook", true))
                .toString()
            : null;
    return new BatchRequest(List.copyOf(requests), deliver, transition, transitionSeconds, webhook);
  }

  private static boolean present(JsonNode root, String field) {
    return root.has(field) && !root.get(field).isNull();
  }

  private static ObjectNode defaults(JsonNode node) {
    if (node == null || node.isNull())
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    if (!node.isObject()) throw new InvalidRequestException("defaults", "must be a JSON object");
    if (node.has("webhook"))
      throw new InvalidRequestException(
          "defaults.webhook", "a shot has no webhook: give the batch one (webhook)");
    return (ObjectNode) node;
  }

  private List<RenderRequest> shots(JsonNode list, ObjectNode defaults) {
    if (!list.isArray()) throw new InvalidRequestException("shots", "must be a list of shots");
    if (list.isEmpty()) throw new InvalidRequestException("shots", "must not be empty");
    if (list.size() > maxShots)
      throw new InvalidRequestException(
          "shots", "at most " + maxShots + " shots per batch (got " + list.size() + ")");
    List<RenderRequest> requests = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "shots[" + i + "]";
      JsonNode shot = list.get(i);
      if (!shot.isObject()) throw new InvalidRequestException(at, "must be a JSON object");
      if (shot.has("webhook"))
        throw new InvalidRequestException(
            at + ".webhook", "a shot has no webhook: give the batch one (webhook)");
      ObjectNode merged = defaults.deepCopy();
      merged.setAll((ObjectNode) shot);
      requests.add(parseAs(at, merged));
    }
    return requests;
  }

  /** {@code variants} renders of the defaults: seeds from the defaults' seed up, or random. */
  private List<RenderRequest> variants(JsonNode root, ObjectNode defaults) {
    long n = RenderRequestParser.integer(root, "variants", 0);
    if (n < 1 || n > maxShots)
      throw new InvalidRequestException("variants", "must be between 1 and " + maxShots);
    boolean seeded = present(defaults, "seed");
    RenderRequest base = parseAs("defaults", defaults);
    List<RenderRequest> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long seed = seeded ? base.seed() + i : i == 0 ? base.seed() : randomSeed.getAsLong();
      requests.add(base.toBuilder().seed(seed).build());
    }
    return requests;
  }

  private RenderRequest parseAs(String at, JsonNode request) {
    try {
      return shots.parse(request);
    } catch (InvalidRequestException e) {
      String rule = e.getMessage().substring(e.field().length() + 2);
      throw new InvalidRequestException(at + "." + e.field(), rule);
    }
  }

  /** A sequence is one video: its shots share a preset (its size, frame rate and encoding). */
  private static void sharedPreset(List<RenderRequest> requests) {
    for (int i = 1; i < requests.size(); i++) {
      if (requests.get(i).preset() != requests.get(0).preset())
        throw new InvalidRequestException(
            "shots[" + i + "].preset",
            "the shots of a sequence share one preset (size and frame rate): shot 0 is "
                + requests.get(0).preset().id()
                + ", this one "
                + requests.get(i).preset().id());
    }
  }

  private static ShotTransition transition(JsonNode root) {
    if (!present(root, "transition")) return ShotTransition.CUT;
    String name = RenderRequestParser.text(root, "transition", true);
    return ShotTransition.find(name)
        .orElseThrow(
            () ->
                InvalidRequestException.unknownValue(
                    "transition",
                    name,
                    Arrays.stream(ShotTransition.values()).map(ShotTransition::id).toList()));
  }

  /** A dissolve's length: at most half the shortest shot, so two dissolves never overlap. */
  private static Double transitionSeconds(
      JsonNode root, ShotTransition transition, List<RenderRequest> requests) {
    if (transition != ShotTransition.DISSOLVE) {
      if (present(root, "transitionSeconds"))
        throw new InvalidRequestException(
            "transitionSeconds", "only a dissolve has a length (transition: dissolve)");
      return null;
    }
    double seconds =
        RenderRequestParser.number(root, "transitionSeconds", DEFAULT_TRANSITION_SECONDS);
    if (!(seconds > 0 && seconds <= MAX_TRANSITION_SECONDS))
      throw new InvalidRequestException(
          "transitionSeconds", "must be more than 0 and at most " + MAX_TRANSITION_SECONDS);
    double shortest =
        requests.stream().mapToDouble(RenderRequest::durationSeconds).min().orElseThrow();
    if (requests.size() > 1 && seconds > shortest / 2)
      throw new InvalidRequestException(
          "transitionSeconds",
          "must be at most half the shortest shot ("
              + shortest
              + " s): two dissolves would overlap");
    return seconds;
  }
}

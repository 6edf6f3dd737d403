package dev.reelfarm.orchestrator.submission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.FeedbackRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /api/v1/renders/{id}/feedback}; every mistake is a 400 naming the
 * field. Tags are slugs, so an export groups {@code visible-seams} with {@code visible-seams} and
 * not with {@code Visible Seams!}; repeated tags count once.
 */
public final class FeedbackRequestParser {
  public static final int MAX_TAGS = 10;
  public static final int MAX_TAG_CHARS = 32;
  public static final int MAX_COMMENT_CHARS = 2000;
  private static final ObjectMapper JSON = ApiJson.mapper();
  private static final Set<String> FIELDS = Set.of("rating", "tags", "comment");
  private static final Pattern TAG =
      Pattern.compile("[a-z0-9][a-z0-9_-]{0," + (MAX_TAG_CHARS - 1) + "}");

  private FeedbackRequestParser() {}

  /** The feedback in {@code body}: rating 1-5, tags deduplicated in order, comment stripped. */
  public static FeedbackRequest parse(String body) {
    JsonNode root = RenderRequestParser.object(JSON, body, FIELDS, true);
    JsonNode rating = root.get("rating");
    if (rating == null || rating.isNull())
      throw new InvalidRequestException("rating", "is required (1 to 5)");
    if (!rating.isIntegralNumber() || rating.asLong() < 1 || rating.asLong() > 5)
      throw new InvalidRequestException("rating", "must be an integer from 1 to 5");
    return new FeedbackRequest(
        rating.intValue(), tags(root.get("tags")), comment(root.get("comment")));
  }

  private static List<String> tags(JsonNode tags) {
    if (tags == null || tags.isNull()) return List.of();
    if (!tags.isArray()) throw new InvalidRequestException("tags", "must be an array of strings");
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      JsonNode tag = tags.get(i);
      String field = "tags[" + i + "]";
      if (!tag.isTextual()) throw new InvalidRequestException(field, "must be a string");
      if (!TAG.matcher(tag.textValue()).matches())
        throw new InvalidRequestException(
            field,
            "must be 1-"
                + MAX_TAG_CHARS
                + " characters of a-z, 0-9, '-', '_', starting with a letter or digit (e.g."
                + " visible-seams)");
      out.add(tag.textValue());
    }
    if (out.size() > MAX_TAGS)
      throw new InvalidRequestException("tags", "at most " + MAX_TAGS + " different tags");
    return new ArrayList<>(out);
  }

  private static String comment(JsonNode comment) {
    if (comment == null || comment.isNull()) return "";
    if (!comment.isTextual()) throw new InvalidRequestException("comment", "must be a string");
    String text = comment.textValue().strip();
    TextRules.requireValid("comment", text);
    if (text.length() > MAX_COMMENT_CHARS)
      throw new InvalidRequestException(
          "comment",
          "must be at most " + MAX_COMMENT_CHARS + " characters (got " + text.length() + ")");
    return text;
  }
}

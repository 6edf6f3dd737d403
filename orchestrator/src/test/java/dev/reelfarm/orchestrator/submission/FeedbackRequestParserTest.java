package dev.reelfarm.orchestrator.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.api.FeedbackRequest;
import org.junit.jupiter.api.Test;

class FeedbackRequestParserTest {

  private static String fieldOf(String body) {
    try {
      FeedbackRequestParser.parse(body);
    } catch (InvalidRequestException e) {
      return e.field();
    }
    throw new AssertionError("accepted: " + body);
  }

  @Test
  void aRatingAloneIsFeedback() {
    assertThat(FeedbackRequestParser.parse("{\"rating\":4}"))
        .isEqualTo(new FeedbackRequest(4, java.util.List.of(), ""));
  }

  @Test
  void tagsKeepTheirOrderAndCountOnceAndTheCommentIsStripped() {
    FeedbackRequest f =
        FeedbackRequestParser.parse(
            "{\"rating\":2,\"tags\":[\"visible-seams\",\"wrong_motion\",\"visible-seams\"],"
                + "\"comment\":\"  the circle jumps at 2 s \\n\"}");
    assertThat(f.tags()).containsExactly("visible-seams", "wrong_motion");
    assertThat(f.comment()).isEqualTo("the circle jumps at 2 s");
  }

  @Test
  void theRatingMustBeAnIntegerFromOneToFive() {
    assertThat(fieldOf("{}")).isEqualTo("rating");
    assertThat(fieldOf("{\"rating\":null}")).isEqualTo("rating");
    assertThat(fieldOf("{\"rating\":0}")).isEqualTo("rating");
    assertThat(fieldOf("{\"rating\":6}")).isEqualTo("rating");
    assertThat(fieldOf("{\"rating\":3.5}")).isEqualTo("rating");
    assertThat(fieldOf("{\"rating\":\"4\"}")).isEqualTo("rating");
    assertThat(fieldOf("{\"rating\":99999999999}")).isEqualTo("rating");
  }

  @Test
  void eachTagIsASlugAndThereAreAtMostTen() {
    assertThat(fieldOf("{\"rating\":3,\"tags\":\"seams\"}")).isEqualTo("tags");
    assertThat(fieldOf("{\"rating\":3,\"tags\":[\"ok\",\"Visible Seams\"]}")).isEqualTo("tags[1]");
    assertThat(fieldOf("{\"rating\":3,\"tags\":[\"-x\"]}")).isEqualTo("tags[0]");
    assertThat(fieldOf("{\"rating\":3,\"tags\":[\"\"]}")).isEqualTo("tags[0]");
    assertThat(fieldOf("{\"rating\":3,\"tags\":[7]}")).isEqualTo("tags[0]");
    assertThat(fieldOf("{\"rating\":3,\"tags\":[\"" + "a".repeat(33) + "\"]}"))
        .isEqualTo("tags[0]");
    StringBuilder eleven = new StringBuilder("{\"rating\":3,\"tags\":[");
    for (int i = 0; i < 11; i++)
      eleven.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
    assertThat(fieldOf(eleven + "]}")).isEqualTo("tags");
  }

  @Test
  void theCommentIsTextOfAtMost2000Characters() {
    assertThat(fieldOf("{\"rating\":3,\"comment\":5}")).isEqualTo("comment");
    assertThat(fieldOf("{\"rating\":3,\"comment\":\"" + "x".repeat(2001) + "\"}"))
        .isEqualTo("comment");
    assertThat(fieldOf("{\"rating\":3,\"comment\":\"a\\u0000b\"}")).isEqualTo("comment");
    assertThat(
            FeedbackRequestParser.parse("{\"rating\":3,\"comment\":\"" + "x".repeat(2000) + "\"}")
                .comment())
        .hasSize(2000);
  }

  @Test
  void anythingButAJsonObjectOfKnownFieldsIsRefused() {
    assertThat(fieldOf("")).isEqualTo("body");
    assertThat(fieldOf("[1]")).isEqualTo("body");
    assertThat(fieldOf("{\"rating\":")).isEqualTo("body");
    assertThat(fieldOf("{\"rating\":3,\"stars\":3}")).isEqualTo("stars");
    assertThatThrownBy(() -> FeedbackRequestParser.parse("{\"rating\":9}"))
        .hasMessage("rating: must be an integer from 1 to 5");
  }
}

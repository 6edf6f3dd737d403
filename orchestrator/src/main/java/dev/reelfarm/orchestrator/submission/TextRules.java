package dev.reelfarm.orchestrator.submission;

/**
 * What text the API accepts and how it echoes client text back. PostgreSQL cannot store U+0000 in a
 * text column and an unpaired UTF-16 surrogate is no Unicode character at all (it cannot be encoded
 * as UTF-8), so both are the client's fault, refused with a 400 naming the field before they reach
 * the database or a JSON writer.
 */
public final class TextRules {
  /** Client text quoted in an error message is cut to this many characters. */
  static final int MAX_ECHO_CHARS = 300;

  private TextRules() {}

  /**
   * Throws an {@link InvalidRequestException} for {@code field} if {@code value} has a bad code
   * point.
   */
  public static void requireValid(String field, String value) {
    int bad = firstInvalid(value);
    if (bad < 0) return;
    char c = value.charAt(bad);
    String what =
        c == 0 ? "U+0000 (NUL)" : String.format("an unpaired UTF-16 surrogate (U+%04X)", (int) c);
    throw new InvalidRequestException(
        field, "contains " + what + " at index " + bad + ", which is not valid text");
  }

  /**
   * The index of the first U+0000 or unpaired surrogate, or -1 when {@code value} is valid text.
   */
  static int firstInvalid(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) return i;
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) i++;
        else return i;
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code text} safe to echo in an error body: bad code points replaced by U+FFFD, cut to {@value
   * #MAX_ECHO_CHARS} characters (without splitting a surrogate pair). Null stays null.
   */
  public static String printable(String text) {
    if (text == null) return null;
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ECHO_CHARS + 1));
    for (int i = 0; i < text.length(); i++) {
      if (out.length() >= MAX_ECHO_CHARS) return out.append('…').toString();
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (c == 0 || Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

package dev.reelfarm.orchestrator.policy;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks prompts against policy rules, in order; the first rule that matches refuses the prompt.
 *
 * <p>Both the prompt and every term are normalised the same way, so that spelling a refused word
 * differently does not get it past: Unicode NFKC (full-width and other compatibility forms become
 * plain letters), format characters dropped (zero-width spaces and joiners, soft hyphens), lower
 * case, accents on Latin letters dropped ({@code nüde} is {@code nude}), whitespace collapsed. The
 * normalised prompt is split into words (runs of letters, digits and marks); a term matches where a
 * run of consecutive whole words, written together, spells the term's words written together:
 * {@code "Non-Consensual"}, {@code "non consensual"}, {@code "nonconsensual"} and {@code "n o n c o
 * n s e n s u a l"} all match the term {@code non-consensual}, while a term never matches part of a
 * word ({@code skill} does not contain the term {@code kill}). Patterns are found (not
 * whole-matched) in the normalised prompt, case-insensitively.
 *
 * <p>Pure: no I/O; immutable and thread-safe once built.
 */
public final class PromptMatcher {
  /** Longest rule id; ids name Prometheus label values and audit entries. */
  public static final int MAX_ID_CHARS = 64;

  private static final Pattern ID =
      Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (MAX_ID_CHARS - 1) + "}");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** A refused prompt: which rule refused it and what the client is told. */
  public record Refusal(String rule, String message) {}

  private record Compiled(String id, String message, List<String> terms, List<Pattern> patterns) {}

  private final List<Compiled> rules;

  private PromptMatcher(List<Compiled> rules) {
    this.rules = rules;
  }

  /** A matcher that refuses nothing. */
  public static PromptMatcher none() {
    return new PromptMatcher(List.of());
  }

  /**
   * Compiles {@code rules}; {@code field} names them in errors ({@code rules} gives {@code
   * rules[2].patterns[0]}).
   *
   * @throws PolicyException a bad id (or one used twice), a term without a word, a blank or
   *     malformed pattern, a rule with neither terms nor patterns, or no message
   */
  public static PromptMatcher compile(List<PromptRule> rules, String field) {
    List<Compiled> compiled = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      PromptRule rule = rules.get(r);
      String at = field + "[" + r + "]";
      if (rule.id() == null || !ID.matcher(rule.id()).matches())
        throw new PolicyException(
            at + ".id", "must be 1-" + MAX_ID_CHARS + " characters of a-z, 0-9, '.', '-', '_'");
      if (ids.contains(rule.id()))
        throw new PolicyException(at + ".id", "'" + rule.id() + "' is used by two rules");
      ids.add(rule.id());
      if (rule.message() == null || rule.message().isBlank())
        throw new PolicyException(at + ".message", "is required");
      if (rule.terms().isEmpty() && rule.patterns().isEmpty())
        throw new PolicyException(at, "needs at least one term or pattern");
      List<String> terms = new ArrayList<>();
      for (int t = 0; t < rule.terms().size(); t++) {
        String joined = String.join("", words(normalise(rule.terms().get(t))));
        if (joined.isEmpty())
          throw new PolicyException(at + ".terms[" + t + "]", "must contain a letter or digit");
        terms.add(joined);
      }
      List<Pattern> patterns = new ArrayList<>();
      for (int p = 0; p < rule.patterns().size(); p++) {
        String regex = rule.patterns().get(p);
        if (regex.isBlank())
          throw new PolicyException(at + ".patterns[" + p + "]", "must not be blank");
        try {
          patterns.add(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        } catch (PatternSyntaxException e) {
          throw new PolicyException(
              at + ".patterns[" + p + "]",
              "is not a valid regular expression: " + e.getDescription());
        }
      }
      compiled.add(new Compiled(rule.id(), rule.message().strip(), terms, patterns));
    }
    return new PromptMatcher(List.copyOf(compiled));
  }

  /** The first rule that refuses {@code prompt}, if any. */
  public Optional<Refusal> check(String prompt) {
    if (rules.isEmpty()) return Optional.empty();
    String text = normalise(prompt);
    List<String> words = words(text);
    for (Compiled rule : rules) {
      for (String term : rule.terms()) {
        if (spells(words, term)) return Optional.of(new Refusal(rule.id(), rule.message()));
      }
      for (Pattern pattern : rule.patterns()) {
        if (pattern.matcher(text).find())
          return Optional.of(new Refusal(rule.id(), rule.message()));
      }
    }
    return Optional.empty();
  }

  /** The ids of the rules, in order. */
  public List<String> ruleIds() {
    return rules.stream().map(Compiled::id).toList();
  }

  /**
   * NFKC, without format characters, lower case, without accents on Latin letters, whitespace
   * collapsed to single spaces and stripped.
   */
  static String normalise(String text) {
    String compatible = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    String decomposed = Normalizer.normalize(compatible, Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder(decomposed.length());
    Character.UnicodeScript base = Character.UnicodeScript.COMMON;
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (type == Character.FORMAT) continue;
      if (type == Character.NON_SPACING_MARK) {
        // An accent on a Latin letter is spelling; marks of other scripts are letters' parts.
        if (base == Character.UnicodeScript.LATIN) continue;
      } else {
        base = Character.UnicodeScript.of(cp);
      }
      out.appendCodePoint(cp);
    }
    String composed = Normalizer.normalize(out, Normalizer.Form.NFC);
    return SPACES.matcher(composed).replaceAll(" ").strip();
  }

  /** The words of normalised text: maximal runs of letters, digits and marks. */
  static List<String> words(String normalised) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < normalised.length(); ) {
      int cp = normalised.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp) || isMark(cp)) {
        word.appendCodePoint(cp);
      } else if (!word.isEmpty()) {
        words.add(word.toString());
        word.setLength(0);
      }
    }
    if (!word.isEmpty()) words.add(word.toString());
    return words;
  }

  /** Whether consecutive whole {@code words}, written together, spell {@code term}. */
  private static boolean spells(List<String> words, String term) {
    for (int start = 0; start < words.size(); start++) {
      int length = 0;
      for (int end = start; end < words.size() && length < term.length(); end++) {
        String word = words.get(end);
        if (!term.startsWith(word, length)) break;
        length += word.length();
        if (length == term.length()) return true;
      }
    }
    return false;
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }
}

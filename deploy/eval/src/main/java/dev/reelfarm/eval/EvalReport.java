package dev.reelfarm.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelfarm.eval.ClipScore.Attribute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The eval's results as a table for the terminal, {@code eval.tsv} and {@code summary.json}. A
 * prompt whose clip was not scored (job failed, undecodable, timed out) counts as wrong on every
 * attribute: the accuracy is over all prompts asked, not over the ones that rendered.
 */
public final class EvalReport {

  /** Accuracy groups, in report order. */
  public enum Group {
    ALL("all", r -> true),
    HELD_OUT("held-out", r -> r.prompt().heldOut()),
    PARAPHRASE("paraphrase", r -> r.prompt().paraphrase()),
    SEEN("seen", r -> !r.prompt().heldOut() && !r.prompt().paraphrase());

    private final String label;
    private final Predicate<EvalResult> member;

    Group(String label, Predicate<EvalResult> member) {
      this.label = label;
      this.member = member;
    }

    public String label() {
      return label;
    }
  }

  /** Correct counts of one group. */
  public record Accuracy(int prompts, Map<Attribute, Integer> correct, int allFour) {
    public double of(Attribute attribute) {
      return prompts == 0 ? 0 : correct.get(attribute) / (double) prompts;
    }

    public double allFourRate() {
      return prompts == 0 ? 0 : allFour / (double) prompts;
    }
  }

  private static final int PROMPT_WIDTH = 44;
  private static final int CELL_WIDTH = 19;

  private final List<EvalResult> results;

  public EvalReport(List<EvalResult> results) {
    this.results = List.copyOf(results);
  }

  public List<EvalResult> results() {
    return results;
  }

  /** Per group, over every clip (all repeats pooled); groups without members are left out. */
  public Map<Group, Accuracy> accuracy() {
    var out = new LinkedHashMap<Group, Accuracy>();
    for (Group g : Group.values()) {
      List<EvalResult> members = results.stream().filter(g.member).toList();
      if (!members.isEmpty()) out.put(g, accuracyOf(members));
    }
    return out;
  }

  /** Over all prompts, per seed base in run order; empty when the run had one seed base. */
  public Map<Long, Accuracy> accuracyBySeedBase() {
    Map<Long, List<EvalResult>> bySeedBase =
        results.stream()
            .collect(
                Collectors.groupingBy(
                    EvalResult::seedBase, LinkedHashMap::new, Collectors.toList()));
    var out = new LinkedHashMap<Long, Accuracy>();
    if (bySeedBase.size() > 1) bySeedBase.forEach((base, rs) -> out.put(base, accuracyOf(rs)));
    return out;
  }

  private static Accuracy accuracyOf(List<EvalResult> members) {
    var correct = new LinkedHashMap<Attribute, Integer>();
    for (Attribute a : Attribute.values()) {
      correct.put(a, (int) members.stream().filter(r -> r.correct(a)).count());
    }
    int allFour = (int) members.stream().filter(EvalResult::allCorrect).count();
    return new Accuracy(members.size(), Map.copyOf(correct), allFour);
  }

  /** Per prompt: expected → got with ✓/✗ for each attribute; then the accuracy per group. */
  public String table() {
    var sb = new StringBuilder();
    sb.append(
        String.format(Locale.ROOT, "%3s %-3s %-" + PROMPT_WIDTH + "s ", "#", "set", "prompt"));
    for (Attribute a : Attribute.values()) sb.append(pad(a.label(), CELL_WIDTH));
    sb.append('\n');
    for (EvalResult r : results) {
      String set = r.prompt().heldOut() ? "H" : r.prompt().paraphrase() ? "P" : "S";
      sb.append(
          String.format(
              Locale.ROOT,
              "%3d %-3s %-" + PROMPT_WIDTH + "s ",
              r.index() + 1,
              set,
              abbreviate(r.prompt().prompt(), PROMPT_WIDTH)));
      for (Attribute a : Attribute.values()) {
        String expected = r.prompt().expected(a);
        String cell = r.correct(a) ? expected + " ✓" : expected + "→" + shortGot(r.got(a)) + " ✗";
        sb.append(pad(cell, CELL_WIDTH));
      }
      if (!r.scored())
        sb.append(" ")
            .append(r.status())
            .append(r.error() == null ? "" : ": " + abbreviate(r.error(), 80));
      sb.append('\n');
    }
    sb.append("set: H held-out combination, P paraphrase, S seen combination and wording\n\n");
    sb.append(accuracyTable());
    return stripTrailingSpaces(sb);
  }

  /** The accuracy block alone. */
  public String accuracyTable() {
    var sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-20s", "accuracy"));
    for (Attribute a : Attribute.values()) sb.append(pad(a.label(), 17));
    sb.append(pad("all four", 17)).append('\n');
    accuracy().forEach((g, acc) -> accuracyRow(sb, g.label(), acc));
    accuracyBySeedBase().forEach((base, acc) -> accuracyRow(sb, "seed base " + base, acc));
    return stripTrailingSpaces(sb);
  }

  private static void accuracyRow(StringBuilder sb, String label, Accuracy acc) {
    sb.append(String.format(Locale.ROOT, "%-20s", label + " (" + acc.prompts() + ")"));
    for (Attribute a : Attribute.values()) {
      sb.append(pad(rate(acc.correct().get(a), acc.prompts()), 17));
    }
    sb.append(pad(rate(acc.allFour(), acc.prompts()), 17)).append('\n');
  }

  private static String stripTrailingSpaces(CharSequence text) {
    return text.toString()
        .lines()
        .map(String::stripTrailing)
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** One row per prompt, tab-separated, with the scorer's measurements. */
  public String tsv() {
    var sb = new StringBuilder();
    sb.append(
        String.join(
            "\t",
            "index",
            "prompt",
            "held_out",
            "paraphrase",
            "job_id",
            "seed",
            "status",
            "expected_object_colour",
            "got_object_colour",
            "expected_background_colour",
            "got_background_colour",
            "expected_shape",
            "got_shape",
            "expected_motion",
            "got_motion",
            "all_correct",
            "object_fraction",
            "fill",
            "vx",
            "vy",
            "frames_scored",
            "video",
            "error",
            "seed_base"));
    sb.append('\n');
    for (EvalResult r : results) {
      ClipScore s = r.score();
      sb.append(
          String.join(
              "\t",
              Integer.toString(r.index() + 1),
              clean(r.prompt().prompt()),
              Boolean.toString(r.prompt().heldOut()),
              Boolean.toString(r.prompt().paraphrase()),
              nullToEmpty(r.jobId()),
              r.seed() == null ? "" : r.seed().toString(),
              r.status(),
              r.prompt().objectColour(),
              r.got(Attribute.OBJECT_COLOUR),
              r.prompt().backgroundColour(),
              r.got(Attribute.BACKGROUND_COLOUR),
              r.prompt().shape(),
              r.got(Attribute.SHAPE),
              r.prompt().motion(),
              r.got(Attribute.MOTION),
              Boolean.toString(r.allCorrect()),
              s == null ? "" : number(s.objectFraction()),
              s == null || s.fill() == null ? "" : number(s.fill()),
              s == null || s.vx() == null ? "" : number(s.vx()),
              s == null || s.vy() == null ? "" : number(s.vy()),
              s == null ? "" : Integer.toString(s.framesScored()),
              nullToEmpty(r.video()),
              clean(nullToEmpty(r.error())),
              Long.toString(r.seedBase())));
      sb.append('\n');
    }
    return sb.toString();
  }

  /** {@code summary.json}: {@code run} (what was rendered, by whom) plus the accuracy per group. */
  public ObjectNode summary(ObjectMapper json, ObjectNode run) {
    ObjectNode root = json.createObjectNode();
    root.set("run", run);
    root.put("prompts", results.size());
    root.put("scored", results.stream().filter(EvalResult::scored).count());
    var failed = json.createArrayNode();
    for (EvalResult r : results) {
      if (r.scored()) continue;
      ObjectNode f = failed.addObject();
      f.put("index", r.index() + 1);
      f.put("prompt", r.prompt().prompt());
      f.put("jobId", r.jobId());
      f.put("status", r.status());
      f.put("error", r.error());
    }
    root.set("unscored", failed);
    ObjectNode accuracy = root.putObject("accuracy");
    accuracy().forEach((g, acc) -> writeAccuracy(accuracy.putObject(g.label()), acc));
    Map<Long, Accuracy> bySeedBase = accuracyBySeedBase();
    if (!bySeedBase.isEmpty()) {
      ObjectNode node = root.putObject("accuracyBySeedBase");
      bySeedBase.forEach((base, acc) -> writeAccuracy(node.putObject(base.toString()), acc));
    }
    return root;
  }

  private static void writeAccuracy(ObjectNode node, Accuracy acc) {
    node.put("prompts", acc.prompts());
    for (Attribute a : Attribute.values()) node.put(a.label(), round(acc.of(a)));
    node.put("allFour", round(acc.allFourRate()));
    ObjectNode counts = node.putObject("correct");
    for (Attribute a : Attribute.values()) counts.put(a.label(), acc.correct().get(a));
    counts.put("allFour", acc.allFour());
  }

  private static String rate(int correct, int total) {
    return String.format(
        Locale.ROOT, "%.2f (%d/%d)", total == 0 ? 0.0 : correct / (double) total, correct, total);
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static String shortGot(String got) {
    return got.equals(EvalResult.NOT_SCORED) ? "-" : got;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }

  private static String abbreviate(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }

  private static String clean(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

package dev.reelfarm.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMappingInterface.Property;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table names every key of every service, no key that does not exist,
 * and each key's default as the mapping declares it: the table is the reference users read, so it
 * must not drift from the code the way hand-written help did.
 */
class ReadmeConfigurationTableTest {
  private static final Path README = Path.of("../../README.md").toAbsolutePath().normalize();
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private final Map<String, String> documented = documentedKeys();

  /** Every service's keys by the name the table uses: a list key without SmallRye's {@code [*]}. */
  private final Map<String, Property> declared = new TreeMap<>();

  {
    ServiceConfigKeys.all()
        .forEach((key, property) -> declared.put(key.replace("[*]", ""), property));
  }

  @Test
  void everyKeyOfEveryServiceIsDocumented() {
    assertThat(documented.keySet())
        .as("keys missing from the README's configuration table")
        .containsAll(declared.keySet());
  }

  @Test
  void everyDocumentedKeyExists() {
    assertThat(declared.keySet())
        .as("keys in the README's configuration table that no service reads")
        .containsAll(documented.keySet());
  }

  @Test
  void everyDeclaredDefaultIsTheDocumentedOne() {
    List<String> wrong = new ArrayList<>();
    int compared = 0;
    for (var entry : declared.entrySet()) {
      String cell = documented.get(entry.getKey());
      if (cell == null || !entry.getValue().hasDefaultValue()) continue;
      compared++;
      String value = entry.getValue().getDefaultValue();
      if (!codeSpans(cell).contains(value))
        wrong.add(entry.getKey() + ": declared `" + value + "`, documented " + cell);
    }
    assertThat(wrong).as("defaults that differ from the README").isEmpty();
    assertThat(compared).as("keys with a declared default").isGreaterThan(40);
  }

  /**
   * The table's keys (a row may name several: `a.b.c`, `.d` or `a.b.c` / `d`), to their default
   * cell.
   */
  private static Map<String, String> documentedKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String row : configurationRows()) {
      String[] cells = row.split("(?<!\\\\)\\|");
      String parent = null;
      for (String span : codeSpans(cells[1])) {
        if (span.startsWith("reelfarm.")) {
          parent = span.substring(0, span.lastIndexOf('.'));
          keys.put(span, cells[2].trim());
        } else if (parent != null && span.matches("\\.?[a-z0-9-]+")) {
          keys.put(parent + "." + span.replaceFirst("^\\.", ""), cells[2].trim());
        }
      }
    }
    assertThat(keys).as("keys read from the README's table").hasSizeGreaterThan(20);
    return keys;
  }

  /** The table rows of the README's "## Configuration" section. */
  private static List<String> configurationRows() {
    List<String> rows = new ArrayList<>();
    boolean inSection = false;
    try {
      for (String line : Files.readAllLines(README)) {
        if (line.startsWith("## ")) inSection = line.equals("## Configuration");
        else if (inSection && line.startsWith("| `")) rows.add(line);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot read " + README, e);
    }
    return rows;
  }

  private static List<String> codeSpans(String cell) {
    List<String> spans = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) spans.add(m.group(1));
    return spans;
  }
}

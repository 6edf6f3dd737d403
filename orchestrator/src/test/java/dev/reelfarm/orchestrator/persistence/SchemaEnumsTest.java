package dev.reelfarm.orchestrator.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.schema.api.BatchStatus;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.SequenceStatus;
import dev.reelfarm.schema.api.WebhookDeliveryStatus;
import dev.reelfarm.schema.presets.Interpolation;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The migrations' CHECK constraints are the source of every state column's allowed values; each
 * Java enum that reads or writes such a column must list exactly the same values.
 */
@WithPostgres
class SchemaEnumsTest {
  private static final Pattern QUOTED = Pattern.compile("'([A-Za-z_]+)'");

  private final DataSource dataSource;

  SchemaEnumsTest(TestDatabase database) {
    this.dataSource = database.dataSource();
  }

  static Stream<Arguments> enumColumns() {
    return Stream.of(
        Arguments.of("render_job", "status", names(List.of(JobStatus.values()))),
        Arguments.of("render_job", "interpolation", Interpolation.names()),
        Arguments.of("chunk", "status", names(List.of(ChunkStatus.values()))),
        Arguments.of("chunk", "role", names(List.of(ChunkRole.values()))),
        Arguments.of("render_batch", "final_status", names(BatchStatus.FINAL)),
        Arguments.of("render_batch", "sequence_status", names(List.of(SequenceStatus.values()))),
        Arguments.of("webhook_delivery", "status", names(List.of(WebhookDeliveryStatus.values()))));
  }

  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("enumColumns")
  void theEnumListsExactlyTheValuesTheCheckConstraintAllows(
      String table, String column, Collection<String> enumValues) throws SQLException {
    assertThat(checkValues(table, column)).containsExactlyInAnyOrderElementsOf(enumValues);
  }

  private static List<String> names(Collection<? extends Enum<?>> values) {
    return values.stream().map(Enum::name).toList();
  }

  /** The quoted values of the CHECK constraint on {@code table.column}. */
  private List<String> checkValues(String table, String column) throws SQLException {
    try (var c = dataSource.getConnection();
        var s =
            c.prepareStatement(
                "SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k JOIN pg_attribute a"
                    + " ON a.attrelid = k.conrelid AND a.attnum = ANY(k.conkey)"
                    + " WHERE k.contype = 'c' AND k.conrelid = ?::regclass AND a.attname = ?")) {
      s.setString(1, table);
      s.setString(2, column);
      try (var r = s.executeQuery()) {
        assertThat(r.next()).as("a CHECK constraint on %s.%s", table, column).isTrue();
        return QUOTED.matcher(r.getString(1)).results().map(m -> m.group(1)).toList();
      }
    }
  }
}

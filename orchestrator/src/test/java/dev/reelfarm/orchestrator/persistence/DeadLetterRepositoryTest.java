package dev.reelfarm.orchestrator.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.api.DeadLetterResource;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.DeadLetterPage;
import dev.reelfarm.schema.api.DeadLetterView;
import dev.reelfarm.schema.messaging.DeadLetter;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dead letters on a real PostgreSQL: stored once, any value kept, listed newest first in pages. */
@WithPostgres
class DeadLetterRepositoryTest {
  private final TestDatabase database;
  private final Database db;
  private final DeadLetterRepository repo = new DeadLetterRepository();

  DeadLetterRepositoryTest(TestDatabase database) {
    this.database = database;
    this.db = new Database(database.dataSource());
  }

  @BeforeEach
  void empty() throws Exception {
    database.truncateAll();
  }

  private static DeadLetter letter(long offset, String key, byte[] value) {
    return new DeadLetter(
        "reelfarm.chunk.events",
        2,
        offset,
        "reelfarm-orchestrator",
        "orchestrator",
        "bad",
        key,
        value);
  }

  private boolean insert(DeadLetter letter) {
    return db.inTransaction(c -> repo.insert(c, letter));
  }

  @Test
  void aRedeliveredDeadLetterIsStoredOnce() {
    assertThat(insert(letter(7, "k", "{}".getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(insert(letter(7, "k", "{}".getBytes(StandardCharsets.UTF_8)))).isFalse();

    List<DeadLetterView> rows = db.inTransaction(c -> repo.page(c, 10, null));
    assertThat(rows)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.sourceTopic()).isEqualTo("reelfarm.chunk.events");
              assertThat(row.partition()).isEqualTo(2);
              assertThat(row.offset()).isEqualTo(7);
              assertThat(row.key()).isEqualTo("k");
              assertThat(row.value()).isEqualTo("{}");
              assertThat(row.valueEncoding()).isEqualTo("utf8");
              assertThat(row.reason()).isEqualTo("bad");
              assertThat(row.consumerGroup()).isEqualTo("reelfarm-orchestrator");
              assertThat(row.service()).isEqualTo("orchestrator");
              assertThat(row.createdAt()).isNotNull();
            });
  }

  @Test
  void valuesThatAreNotTextPostgresCanHoldAreKeptAsBase64AndNoValueAsNone() {
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 1};
    byte[] withNul = "a\u0000b".getBytes(StandardCharsets.UTF_8);
    insert(letter(1, null, binary));
    insert(letter(2, "nul\u0000key", withNul));
    insert(letter(3, null, null));

    List<DeadLetterView> rows = db.inTransaction(c -> repo.page(c, 10, null));

    assertThat(rows).extracting(DeadLetterView::offset).containsExactly(3L, 2L, 1L);
    assertThat(rows.get(0).valueEncoding()).isEqualTo("none");
    assertThat(rows.get(0).value()).isNull();
    assertThat(rows.get(1).valueEncoding()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(rows.get(1).value())).isEqualTo(withNul);
    assertThat(rows.get(1).key()).isEqualTo("nul\uFFFDkey");
    assertThat(Base64.getDecoder().decode(rows.get(2).value())).isEqualTo(binary);
  }

  @Test
  void theResourcePagesNewestFirstWithACursor() {
    for (long offset = 0; offset < 5; offset++) insert(letter(offset, null, new byte[] {'x'}));
    DeadLetterResource resource = new DeadLetterResource(db, repo);

    List<Long> offsets = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    DeadLetterPage page = resource.list(2, null);
    while (true) {
      page.items().forEach(v -> offsets.add(v.offset()));
      pageSizes.add(page.items().size());
      if (page.next() == null) break;
      page = resource.list(2, page.next().toString());
    }

    assertThat(offsets).containsExactly(4L, 3L, 2L, 1L, 0L);
    assertThat(pageSizes).containsExactly(2, 2, 1);
    assertThatThrownBy(() -> resource.list(0, null)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> resource.list(null, "x")).isInstanceOf(InvalidRequestException.class);
  }
}

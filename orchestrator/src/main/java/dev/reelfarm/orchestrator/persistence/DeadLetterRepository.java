package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.DeadLetterView;
import dev.reelfarm.schema.messaging.DeadLetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Records set aside by the farm's consumers (table {@code dead_letter}), newest first. */
@ApplicationScoped
public class DeadLetterRepository {

  /**
   * Stores a dead letter once per source record and group: a redelivered copy is ignored.
   *
   * @return whether it was new
   */
  public boolean insert(Connection c, DeadLetter letter) throws SQLException {
    StoredValue value = StoredValue.of(letter.value());
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO dead_letter (source_topic, source_partition, source_offset, consumer_group,"
                + " service, reason, record_key, value, value_encoding) VALUES (?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (source_topic, source_partition, source_offset, consumer_group)"
                + " DO NOTHING")) {
      s.setString(1, text(letter.sourceTopic()));
      s.setInt(2, letter.sourcePartition());
      s.setLong(3, letter.sourceOffset());
      s.setString(4, text(letter.consumerGroup()));
      s.setString(5, text(letter.service()));
      s.setString(6, text(letter.reason()));
      s.setString(7, letter.key() == null ? null : text(letter.key()));
      s.setString(8, value.text());
      s.setString(9, value.encoding());
      return s.executeUpdate() == 1;
    }
  }

  /** Up to {@code limit} dead letters older than id {@code before} (null: the newest). */
  public List<DeadLetterView> page(Connection c, int limit, Long before) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, source_topic, source_partition, source_offset, record_key, value,"
                + " value_encoding, reason, consumer_group, service, created_at FROM dead_letter"
                + " WHERE (?::bigint IS NULL OR id < ?) ORDER BY id DESC LIMIT ?")) {
      s.setObject(1, before);
      s.setObject(2, before);
      s.setInt(3, limit);
      List<DeadLetterView> page = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          page.add(
              new DeadLetterView(
                  r.getLong("id"),
                  r.getString("source_topic"),
                  r.getInt("source_partition"),
                  r.getLong("source_offset"),
                  r.getString("record_key"),
                  r.getString("value"),
                  r.getString("value_encoding"),
                  r.getString("reason"),
                  r.getString("consumer_group"),
                  r.getString("service"),
                  r.getTimestamp("created_at").toInstant()));
        }
      }
      return page;
    }
  }

  /** PostgreSQL text cannot hold U+0000, which any producer may put in a key or header. */
  private static String text(String s) {
    return s.replace('\u0000', '\uFFFD');
  }

  /** A value as the table keeps it: text when it is UTF-8 that PostgreSQL can hold, else base64. */
  record StoredValue(String text, String encoding) {
    static StoredValue of(byte[] value) {
      if (value == null) return new StoredValue(null, "none");
      try {
        String utf8 =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value))
                .toString();
        if (utf8.indexOf('\u0000') < 0) return new StoredValue(utf8, "utf8");
      } catch (CharacterCodingException e) {
        // not text: fall through to base64
      }
      return new StoredValue(Base64.getEncoder().encodeToString(value), "base64");
    }
  }
}

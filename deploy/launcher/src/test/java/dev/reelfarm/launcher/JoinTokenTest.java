package dev.reelfarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JoinTokenTest {

  @TempDir Path dir;

  @Test
  void theFirstStartGeneratesARandomTokenReadableByTheOwnerAloneAndLaterStartsKeepIt()
      throws Exception {
    Path file = dir.resolve("join-token");

    String token = JoinToken.readOrCreate(file);

    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(JoinToken.readOrCreate(file)).isEqualTo(token);
    assertThat(JoinToken.readOrCreate(dir.resolve("another-farm"))).isNotEqualTo(token);
  }
}

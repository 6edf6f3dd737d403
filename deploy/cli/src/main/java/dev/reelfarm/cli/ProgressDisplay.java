package dev.reelfarm.cli;

import java.io.PrintStream;

/**
 * On a terminal, one line redrawn in place. Otherwise (CI logs, pipes) a new line when the status
 * changes, or at most every 5 s while the line changes.
 */
final class ProgressDisplay {
  private final PrintStream err;
  private final boolean terminal;
  private String lastStatus = "";
  private String lastLine = "";
  private long lastPrinted;
  private boolean drawn;

  ProgressDisplay(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  void show(String line, String status) {
    if (terminal) {
      err.print("\r" + line + "\033[K");
      err.flush();
      drawn = true;
      return;
    }
    long now = System.nanoTime();
    boolean statusChanged = !status.equals(lastStatus);
    if (statusChanged || (!line.equals(lastLine) && now - lastPrinted > 5_000_000_000L)) {
      err.println(line);
      lastPrinted = now;
      lastLine = line;
      lastStatus = status;
    }
  }

  void finish() {
    if (terminal && drawn) err.println();
    drawn = false;
  }
}

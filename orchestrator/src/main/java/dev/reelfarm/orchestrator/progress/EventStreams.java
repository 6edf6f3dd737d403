package dev.reelfarm.orchestrator.progress;

import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.JobEventLog.EventRow;
import dev.reelfarm.schema.api.RenderEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Live event streams read from the job event log. PostgreSQL, not memory, is the source: any
 * orchestrator replica can serve any client, and a reconnecting client resumes exactly where it
 * left off. Each stream polls on a small shared scheduler, never on a request thread.
 */
@ApplicationScoped
public class EventStreams {
  private static final Logger LOG = Logger.getLogger(EventStreams.class);
  private static final long POLL_MS = 200;
  private static final int BATCH = 500;

  private final Database db;
  private final JobEventLog log;
  private final ScheduledExecutorService poller =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "event-streams");
            t.setDaemon(true);
            return t;
          });

  public EventStreams(Database db, JobEventLog log) {
    this.db = db;
    this.log = log;
  }

  /**
   * A job's events after {@code afterSeq}, ending after its last terminal event: a terminal event
   * that later events follow (a chunk re-render reopened the job) does not end it.
   */
  public Multi<EventRow> job(UUID jobId, int afterSeq) {
    AtomicLong cursor = new AtomicLong(afterSeq);
    return stream(
        () -> db.inTransaction(c -> log.forJob(c, jobId, (int) cursor.get(), BATCH)),
        row -> cursor.set(row.seq()),
        true);
  }

  /**
   * Every job's events after global id {@code afterId} (or from now when negative), only {@code
   * team}'s jobs' unless it is null; never ends.
   */
  public Multi<EventRow> farm(UUID team, long afterId) {
    AtomicLong cursor = new AtomicLong(afterId >= 0 ? afterId : db.inTransaction(log::lastId));
    return stream(
        () -> db.inTransaction(c -> log.farmWide(c, team, cursor.get(), BATCH)),
        row -> cursor.set(row.id()),
        false);
  }

  private Multi<EventRow> stream(
      java.util.function.Supplier<List<EventRow>> fetch,
      java.util.function.Consumer<EventRow> advance,
      boolean endAtTerminal) {
    return Multi.createFrom()
        .emitter(
            emitter -> {
              ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
              boolean[] atTerminal = {false}; // the last event emitted is terminal
              task[0] =
                  poller.scheduleWithFixedDelay(
                      () -> {
                        if (emitter.isCancelled()) {
                          task[0].cancel(false);
                          return;
                        }
                        try {
                          List<EventRow> rows = fetch.get();
                          for (EventRow row : rows) {
                            emitter.emit(row);
                            advance.accept(row);
                            atTerminal[0] = RenderEvent.TERMINAL_TYPES.contains(row.type());
                          }
                          // All there is has been read (a short batch) and it ends in a terminal
                          // event: the job is done.
                          if (endAtTerminal && atTerminal[0] && rows.size() < BATCH) {
                            emitter.complete();
                            task[0].cancel(false);
                          }
                        } catch (RuntimeException e) {
                          LOG.debugf("event stream poll failed, retrying: %s", e.toString());
                        }
                      },
                      0,
                      POLL_MS,
                      TimeUnit.MILLISECONDS);
              emitter.onTermination(() -> task[0].cancel(false));
            });
  }

  void stop(@Observes ShutdownEvent ignored) {
    poller.shutdownNow();
  }
}

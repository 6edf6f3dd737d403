package dev.reelfarm.orchestrator.lifecycle;

/**
 * Asks the outbox relay (and the dispatcher it runs) to look for work now rather than at its next
 * poll: a transition that enqueued messages or freed room calls it after committing.
 */
@FunctionalInterface
public interface Wakeup {
  void wake();
}

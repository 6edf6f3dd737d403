package dev.reelfarm.orchestrator.submission;

import dev.reelfarm.schema.api.BatchDelivery;
import dev.reelfarm.schema.api.ShotTransition;
import java.util.List;

/**
 * A validated batch: one render request per shot, in shot order (defaults merged in, seeds chosen),
 * and how the batch delivers them. {@code transition} and {@code transitionSeconds} are null unless
 * it is a sequence ({@code transitionSeconds}: a dissolve only); {@code webhook} null: none (its
 * address is checked by the caller).
 */
public record BatchRequest(
    List<RenderRequest> shots,
    BatchDelivery deliver,
    ShotTransition transition,
    Double transitionSeconds,
    String webhook) {

  public boolean sequence() {
    return deliver == BatchDelivery.SEQUENCE;
  }
}

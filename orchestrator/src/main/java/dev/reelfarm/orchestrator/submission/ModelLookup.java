package dev.reelfarm.orchestrator.submission;

import dev.reelfarm.schema.bundle.BundleFacts;
import java.util.List;
import java.util.Optional;

/** The farm's models as a request resolves its {@code model}. */
public interface ModelLookup {

  /** The model of a request that names none. */
  BundleFacts defaultModel();

  /** The model of this name, if the farm knows it. */
  Optional<BundleFacts> find(String name);

  /** Every model name the farm knows, for the message of an unknown one. */
  List<String> names();

  /** A fixed set of models, the first the default (for tests and tools without a farm). */
  static ModelLookup of(BundleFacts defaultModel, BundleFacts... others) {
    List<BundleFacts> all = new java.util.ArrayList<>(List.of(defaultModel));
    all.addAll(List.of(others));
    return new ModelLookup() {
      @Override
      public BundleFacts defaultModel() {
        return defaultModel;
      }

      @Override
      public Optional<BundleFacts> find(String name) {
        return all.stream().filter(b -> b.name().equals(name)).findFirst();
      }

      @Override
      public List<String> names() {
        return all.stream().map(BundleFacts::name).toList();
      }
    };
  }
}

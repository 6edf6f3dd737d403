package dev.reelfarm.deploy.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * The chart {@code deploy/helm/reelfarm} rendered by real Helm ({@code helm template}, through
 * helm-java's bundled Helm library) and read back as YAML documents.
 */
final class RenderedChart {
  /** The chart, from this module's directory (the tests' working directory). */
  static final Path CHART = Path.of("../helm/reelfarm").toAbsolutePath().normalize();

  static final String RELEASE = "farm";
  static final String NAMESPACE = "render";

  /** A supported Kubernetes (Helm's client-only default, 1.20, is older than the chart allows). */
  static final String KUBE_VERSION = "1.31.0";

  private static final ObjectMapper YAML = new YAMLMapper();

  private final String text;
  private final List<JsonNode> documents;

  private RenderedChart(String text, List<JsonNode> documents) {
    this.text = text;
    this.documents = documents;
  }

  /** {@code helm template farm deploy/helm/reelfarm -n render --set k=v …}. */
  static RenderedChart render(Map<String, Object> values) {
    TemplateCommand template =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    values.forEach(template::set);
    String text = template.call();
    return new RenderedChart(text, parse(text));
  }

  static RenderedChart render() {
    return render(Map.of());
  }

  private static List<JsonNode> parse(String text) {
    try (var parser = new YAMLFactory().createParser(text)) {
      List<JsonNode> docs = new ArrayList<>();
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isMissingNode() && !doc.isNull()) docs.add(doc);
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("helm template rendered unreadable YAML:\n" + text, e);
    }
  }

  String text() {
    return text;
  }

  List<JsonNode> documents() {
    return documents;
  }

  List<String> kinds() {
    return documents.stream().map(d -> d.path("kind").asText()).toList();
  }

  List<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  /** The one resource of {@code kind} named {@code name}. */
  JsonNode get(String kind, String name) {
    return ofKind(kind).stream()
        .filter(d -> name.equals(d.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + kind + " " + name + " in:\n" + String.join(", ", names())));
  }

  /** The Deployment of a component: {@code farm-reelfarm-<component>}. */
  JsonNode deployment(String component) {
    return get("Deployment", RELEASE + "-reelfarm-" + component);
  }

  /** The single container of a component's pods. */
  static JsonNode container(JsonNode deployment) {
    JsonNode containers = deployment.at("/spec/template/spec/containers");
    if (containers.size() != 1) throw new AssertionError("one container expected: " + containers);
    return containers.get(0);
  }

  /** The containers of every Deployment. */
  List<JsonNode> containers() {
    return ofKind("Deployment").stream()
        .flatMap(
            d -> StreamSupport.stream(d.at("/spec/template/spec/containers").spliterator(), false))
        .toList();
  }

  private List<String> names() {
    return documents.stream()
        .map(d -> d.path("kind").asText() + " " + d.path("metadata").path("name").asText())
        .toList();
  }
}

package dev.reelfarm.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Seeded hostile HTTP requests for {@link HttpFuzzIT}: malformed JSON, wrong types, hostile
 * strings, huge and deeply nested bodies, odd paths, methods and headers, and raw bytes that no
 * well-behaved client would send. Only valid submissions may be accepted (202).
 */
final class FuzzRequests {
  static final String RENDERS = "/api/v1/renders";
  static final int BODY_LIMIT = 64 * 1024;

  /**
   * One request. {@code raw} non-null: those bytes go to a plain socket as they are; otherwise an
   * HTTP/1.1 request through the JDK client.
   */
  record FuzzRequest(
      String kind,
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      byte[] raw) {
    String describe() {
      String what =
          raw != null ? new String(raw, StandardCharsets.ISO_8859_1) : method + " " + path;
      String text = what + (body == null ? "" : " " + new String(body, StandardCharsets.UTF_8));
      return kind + ": " + (text.length() > 160 ? text.substring(0, 160) + "…" : text);
    }
  }

  private static final String[] TEXT_FIELDS = {"prompt", "negativePrompt", "preset", "mode"};
  private static final String[] FIELDS = {
    "prompt",
    "negativePrompt",
    "durationSeconds",
    "preset",
    "seed",
    "steps",
    "guidanceScale",
    "priority",
    "mode"
  };

  /** JSON string literals (already quoted and escaped) that no text field may accept. */
  private static final String[] INVALID_TEXT = {
    "\"a\\u0000b\"", "\"\\u0000\"", "\"\\ud800\"", "\"x\\udc00y\"", "\"\\udbff\\udbff\"",
  };

  /** JSON string literals that are valid text but hostile to a naive store or page. */
  private static final String[] HOSTILE_TEXT = {
    "\"'; DROP TABLE render_job; --\"",
    "\"\\\" OR 1=1 --\"",
    "\"<script>alert(1)</script>\"",
    "\"<img src=x onerror=alert(1)>\"",
    "\"\\u202e\\u200f right-to-left \\u202d\"",
    "\"\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627\"",
    "\"a 😀 cat \\ud83d\\ude00\"",
    "\"e\u0301\u0301\u0301 combining\"",
    "\"%00%s%n{0}${jndi:ldap://127.0.0.1/x}\"",
    "\"\\t\\n\\r\\b\\f\"",
  };

  private static final String[] WRONG_VALUES = {
    "1",
    "-1",
    "1.5e308",
    "1e400",
    "true",
    "null",
    "[]",
    "{}",
    "[1,2]",
    "{\"a\":1}",
    "\"\"",
    "\"7\"",
    "99999999999999999999999",
    "-0",
    "\"NaN\"",
  };
  private static final String[] CONTENT_TYPES = {
    "text/plain",
    "application/xml",
    "garbage",
    "*/*",
    "application/json; charset=ebcdic",
    "application/json; charset=utf-16",
    "multipart/form-data; boundary=x",
    "application/jso",
    "application/x-www-form-urlencoded",
  };
  private static final String[] RANGES = {
    "bytes=abc",
    "bytes=5-1",
    "bytes=-0",
    "bytes=99999999999-",
    "bytes=1-2,3-4",
    "items=0-1",
    "bytes=-99999999999999999999",
    "bytes=",
    "bytes=--1",
    "bytes=0-0",
  };

  /** Last-Event-ID values the API refuses; a valid one would open a never-ending stream. */
  private static final String[] BAD_EVENT_IDS = {
    "abc", "-1", "99999999999999999999", "1e3", "%00", "0x10", "1.5",
  };

  /** Last-Event-ID values for a finished job's stream, which ends after its last event. */
  private static final String[] JOB_EVENT_IDS = {"abc", "-1", " ", "0", "2147483648", "1e3"};

  private static final String[] METHODS = {"PUT", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO"};

  private final Random random;
  private final String doneJob;

  /** {@code doneJob}: a finished job with a video, the target of Range and Last-Event-ID. */
  FuzzRequests(long seed, String doneJob) {
    this.random = new Random(seed);
    this.doneJob = doneJob;
  }

  List<FuzzRequest> generate(int count) {
    List<Supplier<FuzzRequest>> kinds =
        List.of(
            this::valid,
            this::malformedJson,
            this::malformedJson,
            this::wrongType,
            this::wrongType,
            this::invalidText,
            this::invalidText,
            this::hostileText,
            this::hugeOrNested,
            this::oddPath,
            this::oddPath,
            this::oddPath,
            this::oddMethod,
            this::oddMethod,
            this::oddHeader,
            this::oddHeader,
            this::oddHeader,
            this::raw);
    List<FuzzRequest> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) requests.add(kinds.get(random.nextInt(kinds.size())).get());
    return requests;
  }

  /** A valid 1 s, 1-step submission. */
  private String validBody() {
    return validBody("seed", Integer.toString(random.nextInt(1000)));
  }

  /** A 1 s, 1-step submission whose {@code field} is the JSON {@code value}. */
  private String validBody(String field, String value) {
    var sb = new StringBuilder("{\"durationSeconds\":1,\"steps\":1,\"prompt\":");
    sb.append(field.equals("prompt") ? value : "\"fuzz circle\"");
    if (!field.equals("prompt")) sb.append(",\"").append(field).append("\":").append(value);
    return sb.append('}').toString();
  }

  private FuzzRequest post(String kind, String body) {
    return post(kind, body.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  private FuzzRequest post(String kind, byte[] body, String contentType) {
    return new FuzzRequest(kind, "POST", RENDERS, Map.of("Content-Type", contentType), body, null);
  }

  private FuzzRequest valid() {
    return post(
        "valid", random.nextBoolean() ? validBody("prompt", pick(HOSTILE_TEXT)) : validBody());
  }

  private FuzzRequest malformedJson() {
    String good = validBody();
    String body =
        switch (random.nextInt(8)) {
          case 0 -> good.substring(0, random.nextInt(good.length()));
          case 1 -> good.replace('"', '\'');
          case 2 -> good.replace("}", ",}");
          case 3 -> pick(new String[] {"", " ", "null", "[]", "\"x\"", "42", "{", "}", "NaN"});
          case 4 -> good + good;
          case 5 -> "{\"prompt\":\"a\u0000raw nul\"}";
          case 6 -> good.replace("1,", "01,");
          default -> {
            byte[] bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            yield new String(bytes, StandardCharsets.ISO_8859_1);
          }
        };
    return post("malformed-json", body);
  }

  private FuzzRequest wrongType() {
    String field = pick(FIELDS);
    return post("wrong-type", validBody(field, pick(WRONG_VALUES)));
  }

  private FuzzRequest invalidText() {
    if (random.nextInt(5) == 0) {
      byte[] prefix = "{\"prompt\":\"bad utf-8 ".getBytes(StandardCharsets.UTF_8);
      byte[] body = new byte[prefix.length + 4];
      System.arraycopy(prefix, 0, body, 0, prefix.length);
      System.arraycopy(new byte[] {(byte) 0xff, (byte) 0xc0, '"', '}'}, 0, body, prefix.length, 4);
      return post("invalid-text", body, "application/json"); // decoded to U+FFFD: may be a 202
    }
    String value = pick(INVALID_TEXT);
    if (random.nextInt(4) == 0) return post("invalid-text", "{\"prompt\":\"x\"," + value + ":1}");
    return post("invalid-text", validBody(pick(TEXT_FIELDS), value));
  }

  private FuzzRequest hostileText() {
    String field = pick(TEXT_FIELDS);
    String value =
        random.nextInt(3) == 0
            ? "\"" + "x".repeat(10_000 + random.nextInt(1000)) + "\""
            : pick(HOSTILE_TEXT);
    return post("hostile-text", validBody(field, value));
  }

  private FuzzRequest hugeOrNested() {
    if (random.nextBoolean()) {
      int size = BODY_LIMIT + 1 + random.nextInt(1 << 20);
      return post("huge-body", validBody("prompt", "\"" + "y".repeat(size) + "\""));
    }
    int depth = 1000 + random.nextInt(20_000);
    String nested = "[".repeat(depth) + "]".repeat(depth);
    return post("deep-nesting", validBody("negativePrompt", nested));
  }

  private FuzzRequest oddPath() {
    String id =
        switch (random.nextInt(12)) {
          case 0 -> "%00";
          case 1 -> "..";
          case 2 -> "%2e%2e/%2e%2e/etc/passwd";
          case 3 -> "a".repeat(100 + random.nextInt(8000));
          case 4 -> UUID.randomUUID().toString();
          case 5 -> UUID.randomUUID() + "/video";
          case 6 ->
              doneJob
                  + "/chunks/"
                  + pick(new String[] {"-1", "abc", "99999999999", "0"})
                  + "/preview.png";
          case 7 -> "?limit=" + pick(new String[] {"abc", "0", "-5", "201", "99999999999"});
          case 8 ->
              "?status="
                  + pick(new String[] {"%00", "running", "NOPE", "%ud800"})
                  + "&before="
                  + pick(new String[] {"x", "2026-01-01T00:00:00Z", "%00"});
          case 9 -> "%ZZ";
          case 10 -> doneJob + "/" + pick(new String[] {"poster.jpg", "nothing", "events/x"});
          default -> "%ed%a0%80"; // an encoded lone surrogate
        };
    String path =
        random.nextInt(6) == 0
            ? pick(new String[] {"/api/v1/unknown", "/api/v2/renders", "/q/nothing", "//", "/.."})
            : RENDERS + (id.startsWith("?") ? id : "/" + id);
    String method = random.nextInt(4) == 0 ? "DELETE" : "GET";
    return new FuzzRequest("odd-path", method, path, Map.of(), null, null);
  }

  private FuzzRequest oddMethod() {
    String path =
        pick(new String[] {RENDERS, RENDERS + "/" + doneJob, "/api/v1/workers", "/api/v1/events"});
    String method =
        random.nextInt(4) == 0 ? (path.equals(RENDERS) ? "DELETE" : "POST") : pick(METHODS);
    byte[] body = method.equals("HEAD") || method.equals("TRACE") ? null : "{}".getBytes();
    return new FuzzRequest("odd-method", method, path, Map.of(), body, null);
  }

  private FuzzRequest oddHeader() {
    return switch (random.nextInt(6)) {
      case 0 ->
          post("content-type", validBody().getBytes(StandardCharsets.UTF_8), pick(CONTENT_TYPES));
      case 1 ->
          new FuzzRequest(
              "range",
              "GET",
              RENDERS + "/" + doneJob + "/video",
              Map.of("Range", pick(RANGES)),
              null,
              null);
      case 2 ->
          new FuzzRequest(
              "last-event-id",
              "GET",
              RENDERS + "/" + doneJob + "/events",
              Map.of("Last-Event-ID", pick(JOB_EVENT_IDS)),
              null,
              null);
      case 3 ->
          new FuzzRequest(
              "last-event-id",
              "GET",
              "/api/v1/events",
              Map.of("Last-Event-ID", pick(BAD_EVENT_IDS)),
              null,
              null);
      case 4 ->
          new FuzzRequest(
              "accept",
              "GET",
              RENDERS + "/" + doneJob,
              Map.of("Accept", pick(new String[] {"image/png", "text/html", "garbage", "*/*;q=x"})),
              null,
              null);
      default ->
          new FuzzRequest(
              "huge-header",
              "GET",
              RENDERS,
              Map.of("X-Fuzz", "h".repeat(8_000 + random.nextInt(60_000))),
              null,
              null);
    };
  }

  private FuzzRequest raw() {
    String body = validBody();
    String head =
        "POST " + RENDERS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    String text =
        switch (random.nextInt(7)) {
          case 0 -> head + "Content-Length: abc\r\n\r\n" + body;
          case 1 -> head + "Content-Length: -1\r\n\r\n" + body;
          case 2 -> head + "Content-Length: 5\r\nContent-Length: 7\r\n\r\n" + body;
          case 3 ->
              head
                  + "Transfer-Encoding: chunked\r\n\r\n"
                  + chunked("{\"prompt\":\"" + "z".repeat(BODY_LIMIT + 10) + "\"}");
          case 4 -> head + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nnot hex\r\n0\r\n\r\n";
          case 5 -> "GET /\u0000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
          default -> "GARBAGE\r\n\r\n";
        };
    return new FuzzRequest(
        "raw", null, null, Map.of(), null, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String chunked(String body) {
    var sb = new StringBuilder();
    for (int i = 0; i < body.length(); i += 8192) {
      String part = body.substring(i, Math.min(body.length(), i + 8192));
      sb.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
    }
    return sb.append("0\r\n\r\n").toString();
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}

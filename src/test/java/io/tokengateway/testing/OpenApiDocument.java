package io.tokengateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's OpenAPI 3.1 document (CONTRACT §15), checked with swagger-parser, and a validator of real
 * responses against it: the status is documented for the operation, the content type is one it lists, the
 * body matches its JSON Schema (networknt, 2020-12, $refs resolved inside the document), and each documented
 * header is present when required and matches its schema when present. Any test can validate its responses:
 * {@code OpenApiDocument.load().assertValid("POST", "/v1/client/tokens", response)}.
 */
public final class OpenApiDocument {

  /** Where the document is registered for $ref resolution; never fetched. */
  private static final String BASE = "https://token-gateway.invalid/openapi.json";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String text;
  private final JsonNode root;
  private final SchemaRegistry schemas;

  private OpenApiDocument(String text) {
    this.text = text;
    try {
      this.root = YAML.readTree(text);
      String json = JSON.writeValueAsString(root);
      this.schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemas(Map.of(BASE, json)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document as the jar serves it (the filtered resource on the test classpath). */
  public static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is not on the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One loaded document for every test of the run. */
  public static OpenApiDocument shared() {
    return Shared.DOCUMENT;
  }

  private static final class Shared {
    static final OpenApiDocument DOCUMENT = load();
  }

  public static OpenApiDocument parse(String text) {
    return new OpenApiDocument(text);
  }

  /** swagger-parser's complaints about the document as OpenAPI (empty when it is well-formed). */
  public List<String> parserMessages() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
    List<String> messages = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
    if (result.getOpenAPI() == null) {
      messages.add("not parsed as OpenAPI");
    }
    return messages;
  }

  public JsonNode root() {
    return root;
  }

  public void assertValid(String method, String path, HttpResponse<Buffer> response) {
    Buffer body = response.body();
    assertValid(method, path, response.statusCode(), response.headers(), body == null ? "" : body.toString());
  }

  public void assertValid(String method, String path, int status, MultiMap headers, String body) {
    List<String> problems = problems(method, path, status, headers, body);
    if (!problems.isEmpty()) {
      throw new AssertionError(method + " " + path + " → " + status + " does not match openapi.yaml:\n  "
        + String.join("\n  ", problems) + "\n  body: " + body);
    }
  }

  /**
   * What is wrong with this response according to the document; empty when it matches. A null
   * {@code body} is not checked (a stream that never ends).
   */
  public List<String> problems(String method, String path, int status, MultiMap headers, String body) {
    String template = template(path);
    String operationPointer = template == null ? null
      : "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
    String responsePointer;
    if (template == null) {
      // The document's rule for paths it does not list: 404 not_found.
      responsePointer = status == 404 ? "/components/responses/NotFound" : null;
      if (responsePointer == null) {
        return List.of("path " + path + " is not in the document");
      }
    } else if (root.at(operationPointer).isMissingNode()) {
      // The document's rule for methods it does not list on a path: 405 method_not_allowed.
      responsePointer = status == 405 ? "/components/responses/MethodNotAllowed" : null;
      if (responsePointer == null) {
        return List.of(method + " is not documented for " + template);
      }
    } else {
      responsePointer = resolve(operationPointer + "/responses/" + status);
      if (responsePointer == null) {
        return List.of("status " + status + " is not documented for " + method + " " + template);
      }
    }
    List<String> problems = new ArrayList<>();
    checkHeaders(responsePointer, headers, problems);
    checkBody(responsePointer, headers.get("content-type"), body, problems);
    return problems;
  }

  public boolean hasSchema(String name) {
    return root.path("components").path("schemas").has(name);
  }

  /** What is wrong with {@code json} as an instance of {@code #/components/schemas/<name>}; empty when it matches. */
  public List<String> schemaProblems(String name, String json) {
    List<String> problems = new ArrayList<>();
    for (Error error : schema("/components/schemas/" + escape(name)).validate(json, InputFormat.JSON)) {
      problems.add(name + " " + error.getInstanceLocation() + ": " + error.getMessage());
    }
    return problems;
  }

  /** The document's path template matching a concrete path (literal paths before templated ones). */
  String template(String path) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    if (root.path("paths").has(bare)) {
      return bare;
    }
    for (Iterator<String> names = root.path("paths").fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (bare.matches(name.replaceAll("\\{[^/]+}", "[^/]+").replace(".", "\\."))) {
        return name;
      }
    }
    return null;
  }

  private void checkHeaders(String responsePointer, MultiMap headers, List<String> problems) {
    JsonNode declared = root.at(responsePointer + "/headers");
    for (Iterator<String> names = declared.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      String headerPointer = resolve(responsePointer + "/headers/" + escape(name));
      String value = headers.get(name);
      if (value == null) {
        if (root.at(headerPointer + "/required").asBoolean(false)) {
          problems.add("required header " + name + " is missing");
        }
        continue;
      }
      for (Error error : schema(headerPointer + "/schema").validate(TextNode.valueOf(value))) {
        problems.add("header " + name + ": " + value + ": " + error.getMessage());
      }
    }
  }

  private void checkBody(String responsePointer, String contentType, String body, List<String> problems) {
    JsonNode content = root.at(responsePointer + "/content");
    if (content.isMissingNode()) {
      if (body != null && !body.isEmpty()) {
        problems.add("a body where the document says there is none");
      }
      return;
    }
    String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (!content.has(mediaType)) {
      problems.add("content type " + contentType + " is not one of " + iterable(content.fieldNames()));
      return;
    }
    boolean json = mediaType.equals("application/json") || mediaType.endsWith("+json");
    if (!json || body == null) {
      return;
    }
    String schemaPointer = responsePointer + "/content/" + escape(mediaType) + "/schema";
    for (Error error : schema(schemaPointer).validate(body, InputFormat.JSON)) {
      problems.add("body " + error.getInstanceLocation() + ": " + error.getMessage());
    }
  }

  private Schema schema(String pointer) {
    return schemas.getSchema(SchemaLocation.of(BASE + "#" + pointer));
  }

  /** Follows a {@code $ref} (one level, as responses and headers use them); null when nothing is there. */
  private String resolve(String pointer) {
    JsonNode node = root.at(pointer);
    if (node.isMissingNode()) {
      return null;
    }
    JsonNode ref = node.get("$ref");
    return ref == null ? pointer : resolve(ref.asText().substring(1));
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static List<String> iterable(Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}

package io.tokengateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tokengateway.ErrorCode;
import io.tokengateway.GatewayException;
import io.tokengateway.GatewayException.FieldError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CONTRACT §5 body rules: 400 for what is not strict JSON, 422 for a field outside Decart's rules. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TokenRequestTest {

  private static final TokenRequest ABSENT = new TokenRequest(null, null, null, null, null);

  @Test
  void absentOrEmptyBodyAsksForDefaults() {
    assertThat(TokenRequest.parse(null)).isEqualTo(ABSENT);
    assertThat(TokenRequest.parse(Buffer.buffer())).isEqualTo(ABSENT);
    assertThat(parse("{}")).isEqualTo(ABSENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"expiresIn\":null,\"allowedModels\":null,\"allowedOrigins\":null,\"constraints\":null,\"metadata\":null}",
    "{\"constraints\":{}}",
    "{\"constraints\":{\"realtime\":null}}",
    "{\"constraints\":{\"realtime\":{\"maxSessionDuration\":null}}}"})
  void nullFieldsAreAbsent(String body) {
    assertThat(parse(body)).isEqualTo(ABSENT);
  }

  @Test
  void readsEveryField() {
    TokenRequest request = parse("{\"expiresIn\":120,\"allowedModels\":[\"mirage\",\"lucy-pro-v2v\"],"
      + "\"allowedOrigins\":[\"https://app.acme.example\",\"http://localhost:3000\"],"
      + "\"constraints\":{\"realtime\":{\"maxSessionDuration\":600}},\"metadata\":{\"plan\":\"pro\",\"n\":[1,{\"x\":2}]}}");
    assertThat(request.expiresIn()).isEqualTo(120);
    assertThat(request.allowedModels()).containsExactly("mirage", "lucy-pro-v2v");
    assertThat(request.allowedOrigins()).containsExactly("https://app.acme.example", "http://localhost:3000");
    assertThat(request.maxSessionDuration()).isEqualTo(600);
    assertThat(request.metadata()).isEqualTo(new JsonObject("{\"plan\":\"pro\",\"n\":[1,{\"x\":2}]}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"expiresIn\":1}", "{\"expiresIn\":3600}",
    "{\"constraints\":{\"realtime\":{\"maxSessionDuration\":10}}}",
    "{\"constraints\":{\"realtime\":{\"maxSessionDuration\":86400}}}"})
  void acceptsBoundaries(String body) {
    assertThat(parse(body)).isNotNull();
  }

  @ParameterizedTest(name = "{0} -> 400")
  @ValueSource(strings = {
    "{\"expiresIn\":60,\"expiresIn\":61}",      // duplicate key
    "{\"metadata\":{\"a\":1,\"a\":1}}",          // duplicate key, nested
    "{/* comment */}",
    "// comment\n{}",
    "{} trailing",
    "{}{}",
    "[]",
    "\"text\"",
    "42",
    "null",
    "   ",
    "{\"expiresIn\":",
    "{'expiresIn':60}",
    "{\"expiresIn\":NaN}"})
  void malformedJsonIs400(String body) {
    assertThat(failure(Buffer.buffer(body)).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
  }

  @Test
  void invalidUtf8Is400() {
    Buffer body = Buffer.buffer("{\"metadata\":{\"a\":\"").appendBytes(new byte[] {(byte) 0xC3, 0x28})
      .appendString("\"}}");
    assertThat(failure(body).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
  }

  @Test
  void nestingDeeperThan32Is400() {
    assertThat(failure(Buffer.buffer(nestedObjects(33))).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
    // 32 levels are still JSON: the unknown field "a" is what fails then.
    assertThat(failure(Buffer.buffer(nestedObjects(32))).code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
  }

  @ParameterizedTest(name = "{0} -> 422 {1}")
  @MethodSource("invalidFields")
  void fieldOutsideDecartsRulesIs422(String body, String field) {
    GatewayException e = failure(Buffer.buffer(body));
    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(e.errors()).extracting(FieldError::field).containsExactly(field);
  }

  static Object[][] invalidFields() {
    return new Object[][] {
      {"{\"expiresIn\":60.5}", "expiresIn"},
      {"{\"expiresIn\":6e1}", "expiresIn"},
      {"{\"expiresIn\":3600.0}", "expiresIn"},
      {"{\"expiresIn\":\"60\"}", "expiresIn"},
      {"{\"expiresIn\":0}", "expiresIn"},
      {"{\"expiresIn\":-1}", "expiresIn"},
      {"{\"expiresIn\":3601}", "expiresIn"},
      {"{\"expiresIn\":99999999999999999999999}", "expiresIn"},
      {"{\"expiresIn\":true}", "expiresIn"},
      {"{\"allowedModels\":[]}", "allowedModels"},
      {"{\"allowedModels\":" + stringArray(21) + "}", "allowedModels"},
      {"{\"allowedModels\":\"mirage\"}", "allowedModels"},
      {"{\"allowedModels\":[\"mirage\",\"\"]}", "allowedModels[1]"},
      {"{\"allowedModels\":[\" \"]}", "allowedModels[0]"},
      {"{\"allowedModels\":[1]}", "allowedModels[0]"},
      {"{\"allowedModels\":[null]}", "allowedModels[0]"},
      {"{\"allowedModels\":[[\"mirage\"]]}", "allowedModels[0]"},
      {"{\"allowedOrigins\":[]}", "allowedOrigins"},
      {"{\"allowedOrigins\":{}}", "allowedOrigins"},
      {"{\"allowedOrigins\":[\"https://app.example/path\"]}", "allowedOrigins[0]"},
      {"{\"allowedOrigins\":[\"https://app.example/\"]}", "allowedOrigins[0]"},
      {"{\"allowedOrigins\":[\"https://app.example?q=1\"]}", "allowedOrigins[0]"},
      {"{\"allowedOrigins\":[\"https://app.example#f\"]}", "allowedOrigins[0]"},
      {"{\"allowedOrigins\":[\"https://user@app.example\"]}", "allowedOrigins[0]"},
      {"{\"allowedOrigins\":[\"https://ok.example\",\"app.example\"]}", "allowedOrigins[1]"},
      {"{\"allowedOrigins\":[\"ftp://app.example\"]}", "allowedOrigins[0]"},
      {"{\"allowedOrigins\":[\"*\"]}", "allowedOrigins[0]"},
      {"{\"constraints\":5}", "constraints"},
      {"{\"constraints\":{\"video\":{}}}", "constraints.video"},
      {"{\"constraints\":{\"realtime\":5}}", "constraints.realtime"},
      {"{\"constraints\":{\"realtime\":{\"fps\":30}}}", "constraints.realtime.fps"},
      {"{\"constraints\":{\"realtime\":{\"maxSessionDuration\":9}}}", "constraints.realtime.maxSessionDuration"},
      {"{\"constraints\":{\"realtime\":{\"maxSessionDuration\":86401}}}", "constraints.realtime.maxSessionDuration"},
      {"{\"constraints\":{\"realtime\":{\"maxSessionDuration\":60.0}}}", "constraints.realtime.maxSessionDuration"},
      {"{\"constraints\":{\"realtime\":{\"maxSessionDuration\":\"60\"}}}", "constraints.realtime.maxSessionDuration"},
      {"{\"metadata\":5}", "metadata"},
      {"{\"metadata\":[]}", "metadata"},
      {"{\"metadata\":\"x\"}", "metadata"},
      {"{\"metadata\":" + metadataOfBytes(4097) + "}", "metadata"},
      {"{\"metadata\":" + nestedObjects(6) + "}", "metadata"},
      {"{\"metadata\":{\"a\":[[[[[1]]]]]}}", "metadata"},
      {"{\"expiresIn\":60,\"permissions\":{}}", "permissions"},
    };
  }

  @Test
  void metadataLimitsAreInclusive() {
    assertThat(parse("{\"metadata\":" + metadataOfBytes(4096) + "}").metadata().toBuffer().length()).isEqualTo(4096);
    assertThat(parse("{\"metadata\":" + nestedObjects(5) + "}").metadata()).isNotNull();
    assertThat(parse("{\"metadata\":{\"a\":[[[[1]]]]}}").metadata()).isNotNull();
  }

  @Test
  void metadataSizeCountsUtf8Bytes() {
    // 2 bytes per "é": 2048 of them are 4096 bytes of string alone, so the object exceeds the limit.
    String body = "{\"metadata\":{\"k\":\"" + "é".repeat(2048) + "\"}}";
    GatewayException e = failure(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("metadata");
  }

  @Test
  void metadataDepthCountsTheObjectItselfAsOne() {
    assertThat(TokenRequest.depth(new JsonObject())).isEqualTo(1);
    assertThat(TokenRequest.depth(new JsonObject("{\"a\":1}"))).isEqualTo(1);
    assertThat(TokenRequest.depth(new JsonObject("{\"a\":{\"b\":[1]}}"))).isEqualTo(3);
    assertThat(TokenRequest.depth(parse("{\"metadata\":{\"a\":{\"b\":[1]}}}").metadata())).isEqualTo(3);
  }

  @Test
  void collectsEveryBadField() {
    GatewayException e = failure(Buffer.buffer(
      "{\"expiresIn\":0,\"allowedModels\":[],\"allowedOrigins\":[\"x\",\"https://ok.example\",\"y\"],\"tenantId\":\"evil\"}"));
    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(e.errors()).extracting(FieldError::field)
      .containsExactly("tenantId", "expiresIn", "allowedModels", "allowedOrigins[0]", "allowedOrigins[2]");
    assertThat(e.detail()).isEqualTo("5 fields are invalid");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "{\"expiresIn\":0}|expiresIn: must be an integer from 1 to 3600",
    "{\"allowedModels\":[]}|allowedModels: must be an array of 1 to 20 strings (omit it to use the tenant's list)"})
  void detailNamesTheFieldAndRule(String body, String detail) {
    assertThat(failure(Buffer.buffer(body)).detail()).isEqualTo(detail);
  }

  private static TokenRequest parse(String body) {
    return TokenRequest.parse(Buffer.buffer(body));
  }

  private static GatewayException failure(Buffer body) {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> TokenRequest.parse(body));
    assertThat(e).as("parse should fail").isNotNull();
    return e;
  }

  /** {@code levels} objects nested in each other, the outermost included. */
  static String nestedObjects(int levels) {
    return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
  }

  /** A metadata object whose compact JSON is exactly {@code bytes} long. */
  static String metadataOfBytes(int bytes) {
    return "{\"k\":\"" + "x".repeat(bytes - 8) + "\"}";
  }

  static String stringArray(int entries) {
    return IntStream.range(0, entries).mapToObj(i -> "\"m" + i + "\"").collect(Collectors.joining(",", "[", "]"));
  }
}

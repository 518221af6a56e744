package io.tokengateway.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The management port's dashboard and API document (CONTRACT §15): {@code GET /} serves the page,
 * {@code /dashboard/*} its script and style, {@code /webjars/*} the chart library from its WebJar,
 * {@code GET /openapi.yaml} the OpenAPI 3.1 document. Every asset comes from the jar: no CDN, so the
 * page works on an air-gapped cluster. The page holds no data; it reads the admin API like any client.
 *
 * <p>{@code GET /dashboard/settings.json} tells the page, without an admin call, what it needs to know before
 * its first one: whether admin authentication is on (then it calls no {@code /admin} path until the operator
 * has entered a token: a 401 would be an error in the browser's console) and whether this build serves
 * {@code /admin/sessions}. Open, read-only, and nothing in it is secret (a 401 would tell the same).
 */
final class Dashboard {

  /** Scripts, styles and images only from this origin; no inline script, no framing. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
    + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  static final String OPENAPI_RESOURCE = "openapi.yaml";
  private static final String DASHBOARD_ROOT = "dashboard";
  /** The page's scripts and style by name: no directory, so no second copy of the page under another base. */
  private static final String ASSET_PATH = "/dashboard/[A-Za-z0-9-]+\\.(js|css)";
  private static final String WEBJARS_ROOT = "META-INF/resources/webjars";
  private static final String SETTINGS_PATH = "/dashboard/settings.json";
  private static final String SESSIONS_PATH = "/admin/sessions";

  private Dashboard() {}

  /** {@code adminAuth}: {@code management.adminTokenEnv} is set (CONTRACT §13). */
  static void mount(Router router, boolean adminAuth) {
    // The page's own files are not versioned in their paths: revalidated, so an upgrade shows at once.
    StaticHandler page = StaticHandler.create(DASHBOARD_ROOT).setIndexPage("index.html").setCachingEnabled(false);
    router.get("/").handler(Dashboard::secure).handler(Dashboard::revalidate).handler(page);
    router.get(SETTINGS_PATH).handler(Dashboard::secure).handler(ctx -> ctx.response()
      .putHeader("cache-control", "no-store")
      .putHeader("content-type", "application/json")
      .end(settings(router, adminAuth).encode()));
    router.get("/dashboard/*").handler(Dashboard::onlyAssets).handler(Dashboard::secure).handler(Dashboard::revalidate)
      .handler(page);
    // WebJar paths carry the library's version: cacheable for good.
    router.get("/webjars/*").handler(Dashboard::secure).handler(StaticHandler.create(WEBJARS_ROOT));
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
      .putHeader("content-type", "application/yaml; charset=utf-8")
      .sendFile(OPENAPI_RESOURCE));
  }

  /** Read per request from the router itself: whichever component mounts {@code /admin/sessions}, and whenever. */
  private static JsonObject settings(Router router, boolean adminAuth) {
    boolean sessions = router.getRoutes().stream().map(Route::getPath).anyMatch(SESSIONS_PATH::equals);
    return new JsonObject().put("adminAuth", adminAuth).put("sessions", sessions);
  }

  private static void onlyAssets(RoutingContext ctx) {
    if (ctx.normalizedPath().matches(ASSET_PATH)) {
      ctx.next();
    } else {
      ctx.fail(404);
    }
  }

  private static void revalidate(RoutingContext ctx) {
    ctx.response().putHeader("cache-control", "no-cache");
    ctx.next();
  }

  private static void secure(RoutingContext ctx) {
    ctx.response()
      .putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
      .putHeader("x-content-type-options", "nosniff")
      .putHeader("referrer-policy", "no-referrer");
    ctx.next();
  }
}

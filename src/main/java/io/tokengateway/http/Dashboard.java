package io.tokengateway.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The management port's dashboard and API document (CONTRACT §15): {@code GET /} serves the page,
 * {@code /dashboard/*} its script and style, {@code /webjars/*} the chart library from its WebJar,
 * {@code GET /openapi.yaml} the OpenAPI 3.1 document. Every asset comes from the jar: no CDN, so the
 * page works on an air-gapped cluster. The page holds no data; it reads the admin API like any client.
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

  private Dashboard() {}

  static void mount(Router router) {
    // The page's own files are not versioned in their paths: revalidated, so an upgrade shows at once.
    StaticHandler page = StaticHandler.create(DASHBOARD_ROOT).setIndexPage("index.html").setCachingEnabled(false);
    router.get("/").handler(Dashboard::secure).handler(Dashboard::revalidate).handler(page);
    router.get("/dashboard/*").handler(Dashboard::onlyAssets).handler(Dashboard::secure).handler(Dashboard::revalidate)
      .handler(page);
    // WebJar paths carry the library's version: cacheable for good.
    router.get("/webjars/*").handler(Dashboard::secure).handler(StaticHandler.create(WEBJARS_ROOT));
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
      .putHeader("content-type", "application/yaml; charset=utf-8")
      .sendFile(OPENAPI_RESOURCE));
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

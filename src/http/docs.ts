import { Hono } from 'hono';
import type { AppEnv } from './context.js';

/** The Swagger UI files, read however the runtime can (disk on Node, bundled text on Workers). */
export interface DocsAssets {
  css(): string | Promise<string>;
  js(): string | Promise<string>;
}

// Scripts come only from this origin (the init is a served file, not inline); Swagger UI sets
// inline styles and draws some icons as data: images; it fetches /openapi.json from here.
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Jifen API</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"><p>The API contract: <a href="/openapi.json">/openapi.json</a>.</p></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body></html>`;

const INIT = "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });\n";

/** `/docs`: Swagger UI over `/openapi.json`, served from this origin (works offline). */
export function docsRoutes(assets: DocsAssets | undefined) {
  const headers = (type: string) => ({ 'content-type': type, 'content-security-policy': DOCS_CSP, 'x-content-type-options': 'nosniff' });
  const app = new Hono<AppEnv>();
  app.get('/docs', (c) => c.body(PAGE, 200, headers('text/html; charset=utf-8')));
  app.get('/docs/assets/init.js', (c) => c.body(INIT, 200, headers('text/javascript; charset=utf-8')));
  // Without the files (a runtime that bundled none) the page still links the document.
  if (assets) {
    app.get('/docs/assets/swagger-ui.css', async (c) => c.body(await assets.css(), 200, headers('text/css; charset=utf-8')));
    app.get('/docs/assets/swagger-ui-bundle.js', async (c) => c.body(await assets.js(), 200, headers('text/javascript; charset=utf-8')));
  }
  return app;
}

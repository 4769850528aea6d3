// The API documentation at /docs: Swagger UI (from npm, served here) on gradwalk's own /openapi.json. A file
// rather than an inline <script>, so that the page's Content-Security-Policy allows no inline script at all.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});

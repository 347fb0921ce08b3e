// Start Swagger UI on the app's OpenAPI document: the settings FastAPI's own /docs page uses,
// here in a file so that the page needs no inline script under the Content-Security-Policy.

window.SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  layout: 'BaseLayout',
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  // The default would send the document to an outside validator service.
  validatorUrl: null,
  presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
});

// The API reference: Swagger UI (served from node_modules, no CDN) rendering /openapi.yaml, with
// schemas, examples and "Try it out" against this same origin. Sign in with "Authorize": paste an
// access token from POST /v1/auth/token (which itself needs none).
window.ui = window.SwaggerUIBundle({
  url: '/openapi.yaml',
  dom_id: '#reference',
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 1,
  displayRequestDuration: true,
  persistAuthorization: true,
  tryItOutEnabled: false,
  // The public validator badge would call a third-party host.
  validatorUrl: null,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});

/* Starts Swagger UI on /docs (web/api_docs.py) from a file, not an inline script. */
(function () {
  "use strict";
  var openapi = document.currentScript.dataset.openapi;
  window.ui = SwaggerUIBundle({
    url: openapi,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();

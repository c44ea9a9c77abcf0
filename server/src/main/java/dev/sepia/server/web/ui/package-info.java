/**
 * The web UI: server-rendered pages (JTE templates in src/main/jte) for operators. Pages read
 * through the stores; every change goes through the REST API from the browser (assets/sepia.js), so
 * the UI can do nothing the API does not allow, and errors come back the same way.
 */
package dev.sepia.server.web.ui;

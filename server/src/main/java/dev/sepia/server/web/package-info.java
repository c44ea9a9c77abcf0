/** The HTTP side of the server: the REST API under /api, authentication, JSON errors. */
package dev.sepia.server.web;

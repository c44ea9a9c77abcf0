package dev.sepia.server.web;

import io.javalin.Javalin;

/** A group of API endpoints registered on the web server. */
public interface ApiModule {
  void register(Javalin app);
}

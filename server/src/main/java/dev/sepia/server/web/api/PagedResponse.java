package dev.sepia.server.web.api;

import dev.sepia.server.web.Paging;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of every paged list: {"items": [...], "totalResults": n, "skip": s, "take": t}. */
final class PagedResponse {
  private PagedResponse() {}

  static Map<String, Object> of(List<?> items, int totalResults, Paging paging) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("totalResults", totalResults);
    body.put("skip", paging.skip());
    body.put("take", paging.take());
    return body;
  }
}

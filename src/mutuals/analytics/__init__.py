"""Analytics: relationship scores, stages, response times, content results (small named queries)."""

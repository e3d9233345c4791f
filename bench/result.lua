-- Shared by the wrk scripts: one line the runner parses.
-- RESULT <requests> <duration us> <p50 us> <p99 us> <socket errors> <non-2xx responses>
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.0f %.0f %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end

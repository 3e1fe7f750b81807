-- wrk's script for scripts/cluster: the bench scenarios and the shelter's staff operation, in
-- turn on every connection. Statuses are counted per thread; an answer is expected when it is
-- 200 or 201, or 422 for the invalid pet (no more 422s than invalid pets were sent).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local json = { ["Content-Type"] = "application/json" }
  local staff = { ["Content-Type"] = "application/json", ["X-API-Key"] = "staff-key" }
  requests = {
    wrk.format("GET", "/pets/7"),
    wrk.format("POST", "/pets", json,
      '{"name":"Rex","tag":"dog","age":3,"status":"available","tags":["good","brown"],"weight":12.5,"code":"ABC-1234"}'),
    wrk.format("POST", "/pets", json, '{"name":"","age":300,"status":"lost","tags":["a","a"],"code":"x"}'),
    wrk.format("POST", "/shelter/animals", staff, '{"name":"Tom","species":"cat"}'),
    wrk.format("GET", "/shelter/animals?limit=5"),
  }
  index = 0
  invalid_sent = 0
  statuses = {}
end

function request()
  index = index % #requests + 1
  if index == 3 then invalid_sent = invalid_sent + 1 end
  return requests[index]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts, invalid = {}, 0
  for _, thread in ipairs(threads) do
    invalid = invalid + thread:get("invalid_sent")
    for status, n in pairs(thread:get("statuses")) do counts[status] = (counts[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(counts) do table.insert(parts, string.format('"%d": %d', status, n)) end
  io.write(string.format(
    'CLUSTER-RESULT {"requests": %d, "duration_us": %d, "invalid_sent": %d, "statuses": {%s}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, invalid, table.concat(parts, ", "),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status,
    latency:percentile(50), latency:percentile(99)))
end

-- One wrk process of Benchmarks/soak/run: `wrk -s soak.lua URL -- SCENARIO`.
-- SCENARIO is one of the five bench scenarios (../shared/bench/run.py), "invalid" (a cycle
-- of requests that must each get a 4xx without the connection being closed) or "churn"
-- (GET /pets/7 with Connection: close, a new connection per request). Every answer's status
-- is counted in `response`, every request sent in `request`; `done` prints one line,
-- "SOAK-JSON {...}", with the counts, the requests sent and answered, wrk's socket errors and
-- timeouts (answers later than --timeout), and latency percentiles (µs).

local valid = '{"name":"Rex","tag":"dog","age":3,"status":"available","tags":["good","brown"],"weight":12.5,"code":"ABC-1234"}'
local invalid = '{"name":"","age":300,"status":"lost","tags":["a","a"],"code":"x"}'
local json = { ["Content-Type"] = "application/json" }

local scenarios = {
    ["plaintext"] = { { "GET", "/plaintext" } },
    ["get-pet"] = { { "GET", "/pets/7" } },
    ["list-pets"] = { { "GET", "/pets?limit=100" } },
    ["post-valid"] = { { "POST", "/pets", json, valid } },
    ["post-invalid"] = { { "POST", "/pets", json, invalid } },
    ["churn"] = { { "GET", "/pets/7", { ["Connection"] = "close" } } },
    ["invalid"] = {
        { "POST", "/pets", json, invalid },                                   -- 422, five errors
        { "POST", "/pets", json, '{"name": "Rex", "age": 3,' },              -- malformed JSON
        { "POST", "/pets", json, '[1, 2, 3]' },                              -- not an object
        { "POST", "/pets", json, '{"name":"Rex","age":"3","status":"available","extra":1}' },
        { "POST", "/pets", json, string.rep("[", 70) .. string.rep("]", 70) }, -- too deep
        { "POST", "/pets", json, "\255\254{}" },                             -- not UTF-8
        { "POST", "/pets", { ["Content-Type"] = "text/plain" }, "Rex" },     -- 415
        { "POST", "/pets", json, "" },                                       -- empty body
        { "GET", "/pets/abc" },                                              -- 422
        { "GET", "/pets/0" },                                                -- 422, below minimum
        { "GET", "/pets/99999999999999999999999" },                          -- 422, overflows
        { "GET", "/pets/%00" },                                              -- 422
        { "GET", "/pets/2000" },                                             -- 404, not found
        { "GET", "/pets?limit=abc" },                                        -- 422
        { "GET", "/pets?limit=1000&offset=-1&status=lost" },                 -- 422, three errors
        { "GET", "/pets?limit=&offset=x&status=" },                          -- 422
        { "GET", "/no/such/path" },                                          -- 404
        { "DELETE", "/pets/7" },                                             -- 405
        { "PUT", "/plaintext", json, "{}" },                                 -- 405
    },
}

local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
    local list = scenarios[args[1]]
    if not list then error("soak.lua: unknown scenario " .. tostring(args[1])) end
    requests = {}
    for i, r in ipairs(list) do requests[i] = wrk.format(r[1], r[2], r[3], r[4]) end
    position, sent = 0, 0
    counts = {}
end

function request()
    position = position % #requests + 1
    sent = sent + 1
    return requests[position]
end

function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, _)
    local total, all_sent = {}, 0
    for _, thread in ipairs(threads) do
        all_sent = all_sent + thread:get("sent")
        for status, n in pairs(thread:get("counts")) do total[status] = (total[status] or 0) + n end
    end
    local parts = {}
    for status, n in pairs(total) do table.insert(parts, string.format('"%d":%d', status, n)) end
    local e = summary.errors
    io.write(string.format(
        'SOAK-JSON {"requests":%d,"sent":%d,"duration_us":%d,"statuses":{%s},"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
        '"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
        summary.requests, all_sent, summary.duration, table.concat(parts, ","), e.connect, e.read, e.write, e.timeout,
        latency:percentile(50), latency:percentile(99), latency.max))
end

-- wrk script of Benchmarks/overload/run: `wrk -s status.lua URL`. Sends GET to the URL's path
-- like plain wrk, and counts every answer by status in `response` (and how many 503s carry a
-- Retry-After header) and every request sent in `request`, so that requests sent and never
-- answered before the end show. `done` prints one line, "OVERLOAD-JSON {...}": the counts,
-- wrk's request total, socket errors (connect, read, write; timeout = answers that came later
-- than --timeout, which wrk leaves out of its latency histogram) and latency percentiles in µs.
-- The percentiles are over every answer that came within --timeout, whatever its status: wrk
-- hands `response` no timing, so the latency of the 2xx answers alone cannot be had.

local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
    req = wrk.format()
    counts, sent, retry_after = {}, 0, 0
end

function request()
    sent = sent + 1
    return req
end

function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
    if status == 503 then
        for name, _ in pairs(headers) do
            if string.lower(name) == "retry-after" then retry_after = retry_after + 1; break end
        end
    end
end

function done(summary, latency, _)
    local total, all_sent, all_retry = {}, 0, 0
    for _, thread in ipairs(threads) do
        for status, n in pairs(thread:get("counts")) do total[status] = (total[status] or 0) + n end
        all_sent = all_sent + thread:get("sent")
        all_retry = all_retry + thread:get("retry_after")
    end
    local parts = {}
    for status, n in pairs(total) do table.insert(parts, string.format('"%d":%d', status, n)) end
    local e = summary.errors
    io.write(string.format(
        'OVERLOAD-JSON {"requests":%d,"sent":%d,"duration_us":%d,"statuses":{%s},"retry_after":%d,' ..
        '"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
        summary.requests, all_sent, summary.duration, table.concat(parts, ","), all_retry,
        e.connect, e.read, e.write, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

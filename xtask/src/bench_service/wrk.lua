-- Loaded by `cargo xtask bench-service` into wrk: the method, bearer token and body of the route
-- (from the environment, which other users cannot read, unlike a `-H` argument), a count of
-- answers that are not 2xx (wrk itself counts only 4xx and 5xx), and the figures printed as one
-- JSON line from done().
local method = os.getenv("BENCH_METHOD")
if method then wrk.method = method end
local token = os.getenv("BENCH_TOKEN")
if token then wrk.headers["Authorization"] = "Bearer " .. token end
local body = os.getenv("BENCH_BODY")
if body then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(_) non2xx = 0 end

function response(status, _, _)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, _)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do non2xx_total = non2xx_total + thread:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"non2xx":%d,'
      .. '"socket_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    non2xx_total, e.connect + e.read + e.write + e.timeout))
end

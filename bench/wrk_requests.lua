-- wrk script for bench/http_load.py: sends the requests listed in a file, in turn, each
-- thread from a different start, and prints one line of JSON at the end.
-- The file has one request per line: METHOD <tab> PATH <tab> TOKEN <tab> BODY (TOKEN and
-- BODY may be empty).
-- Run:  wrk -c 8 -t 2 -d 3s -s bench/wrk_requests.lua http://127.0.0.1:8000 -- requests.tsv

local requests = {}
local next_one = 1
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    if token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    if body == "" then
      body = nil
    else
      headers["Content-Type"] = "application/json"
    end
    requests[#requests + 1] = wrk.format(method, path, headers, body)
  end
  next_one = (id * 7919) % #requests
end

function request()
  next_one = next_one % #requests + 1
  return requests[next_one]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout
  ))
end

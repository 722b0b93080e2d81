-- wrk script: each request POSTs a catalog with a name no other request uses, so every request is a
-- real insert (a repeated name would be a cheap 409 and flatter the figures). Responses are counted
-- by status so that the report can use only the 200s.
-- Arguments (after --): bearer key, name prefix (unique per run; the second wrk starts in is added,
-- so that warm-up slices run with the same arguments never repeat a name).
local threads = {}
local counter = 0
local key, prefix  -- "tid", "ok", "other" and "codes" are globals: setup() and done() reach them

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  key = args[1]
  prefix = (args[2] or "bench") .. "_" .. os.time()
  ok, other = 0, 0
  codes = {}
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"%s_t%d_%d","comment":"wrk"}', prefix, tid, counter)
  return wrk.format("POST", "/api/2.1/unity-catalog/catalogs",
    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    other = other + 1
    codes[status] = (codes[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_other, all_codes = 0, 0, {}
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_other = total_other + t:get("other")
    for code, n in pairs(t:get("codes")) do
      all_codes[code] = (all_codes[code] or 0) + n
    end
  end
  local seconds = summary.duration / 1e6
  local parts = {}
  for code, n in pairs(all_codes) do
    table.insert(parts, code .. ":" .. n)
  end
  -- One machine-readable line for bench/audit.sh.
  io.write(string.format("RESULT ok=%d other=%d seconds=%.2f ok_per_s=%.1f p50_ms=%.1f p99_ms=%.1f codes=%s socket_errors=%d\n",
    total_ok, total_other, seconds, total_ok / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    table.concat(parts, ","), summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end

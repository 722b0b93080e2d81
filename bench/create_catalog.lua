-- wrk script: every request creates a new catalog. Names are unique across runs (RUN_ID),
-- threads (id) and requests (counter), so no request meets a 409.
local run = os.getenv("RUN_ID") or tostring(os.time())
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  counter = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"bench_%s_%d_%d","comment":"wrk"}', run, id, counter)
  return wrk.format(nil, "/api/2.1/unity-catalog/catalogs", nil, body)
end

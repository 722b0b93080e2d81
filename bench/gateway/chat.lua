-- wrk script: every request POSTs the same small, non-streamed chat request. The key (Bearer) and
-- the model come from the environment so one script serves all three targets; the fake upstream
-- ignores both.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("KEY")
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end
wrk.body = string.format(
  '{"model":"%s","max_tokens":16,"messages":[{"role":"user","content":"Say hello."}]}',
  os.getenv("MODEL") or "fake-model")

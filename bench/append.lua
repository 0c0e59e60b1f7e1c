-- wrk: POST an `ack` to a random one of the first 1,000 escalations, with the token in TOKEN.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = '{"event": "ack", "text": "seen"}'
request = function()
  return wrk.format(nil, "/api/escalations/E-" .. math.random(1, 1000) .. "/events")
end

-- wrk script: cycle through the same N pages the clients fetch (N comes from the PAGES variable).
local n = tonumber(os.getenv("PAGES")) or 1000
local i = 0
request = function()
  i = i % n + 1
  return wrk.format("GET", "/p/" .. i .. ".html")
end

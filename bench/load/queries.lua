-- SPDX-License-Identifier: GPL-2.0-or-later
-- wrk script: cycle through query shapes people use, URL-encoded.
local queries = {
  "q=legevakt", "q=r%C3%B8ntgen&limit=20", "q=%22utvida+legevakt%22",
  "q=studietur&decisions=1", "q=samarbeid&sort=date",
  "q=lokalmedisinsk&organ=Regionr%C3%A5det+for+Hallingdal&from=2010-01-01&to=2010-12-31",
  "q=helse*", "q=tittel%3Areferat", "q=kommune+OG+helse", "q=pasientforl%C3%B8p&offset=10",
}
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/search?" .. queries[i])
end

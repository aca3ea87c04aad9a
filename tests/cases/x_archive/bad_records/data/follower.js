window.YTD.follower.part0 = [
  { "follower" : { "accountId" : "3100000001", "userLink" : "https://twitter.com/intent/user?user_id=3100000001" } },
  { "follower" : { "accountId" : "not-a-number" } },
  { "follower" : { "accountId" : "3100000002", "userLink" : "https://twitter.com/intent/user?user_id=3100000002" } }
]

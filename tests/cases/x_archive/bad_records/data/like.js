window.YTD.like.part0 = [
  { "like" : { "tweetId" : "1690000000000000201", "fullText" : "Calm seas today" } },
  { "like" : { "fullText" : "A like that lost its tweetId" } },
  { "like" : { "tweetId" : "1690000000000000202", "fullText" : "Sunrise over the breakwater" } }
]

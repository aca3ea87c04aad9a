window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "id_str" : "1710000000000000001",
      "created_at" : "Mon Feb 06 09:00:00 +0000 2023",
      "full_text" : "A good tweet between bad ones",
      "entities" : { "user_mentions" : [ ], "urls" : [ ] },
      "favorite_count" : "1",
      "retweet_count" : "0"
    }
  },
  {
    "tweet" : {
      "id_str" : "1710000000000000002",
      "full_text" : "This one has lost its created_at",
      "entities" : { "user_mentions" : [ ], "urls" : [ ] }
    }
  },
  {
    "tweet" : {
      "id_str" : "1710000000000000003",
      "created_at" : "sometime last week",
      "full_text" : "This one has a date nobody can read",
      "entities" : { "user_mentions" : [ ], "urls" : [ ] }
    }
  },
  {
    "tweet" : {
      "id_str" : "1710000000000000004",
      "created_at" : "Tue Feb 07 10:00:00 +0000 2023",
      "full_text" : "Another good tweet",
      "entities" : { "user_mentions" : [ ], "urls" : [ ] }
    }
  }
]

window.YTD.note_tweet.part0 = [
  {
    "noteTweet": {
      "noteTweetId": "1700000000000000999",
      "updatedAt": "2023-01-08T11:11:11.000Z",
      "lifecycle": {
        "value": "1700000000000000999",
        "name": "Draft"
      },
      "createdAt": "2023-01-08T11:11:11.000Z",
      "core": {
        "styletags": [],
        "urls": [],
        "text": "Long-form notes on keeping a harbour lamp lit through winter: trim the wick every evening, keep the glass clean of salt, store the oil somewhere dry and check the seals before the first storm. Thanks to everyone who sent tips & photos this year.",
        "mentions": [],
        "cashtags": [],
        "hashtags": []
      }
    }
  }
]
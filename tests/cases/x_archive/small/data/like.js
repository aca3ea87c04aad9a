window.YTD.like.part0 = [
  {
    "like": {
      "tweetId": "1690000000000000101",
      "fullText": "Foggy morning at the pier",
      "expandedUrl": "https://twitter.com/i/web/status/1690000000000000101"
    }
  },
  {
    "like": {
      "tweetId": "1690000000000000102",
      "expandedUrl": "https://twitter.com/i/web/status/1690000000000000102"
    }
  },
  {
    "like": {
      "tweetId": "1690000000000000103",
      "fullText": "Who else restores old lanterns?",
      "expandedUrl": "https://twitter.com/i/web/status/1690000000000000103"
    }
  }
]
window.YTD.following.part0 = [
  {
    "following": {
      "accountId": "3100000001",
      "userLink": "https://twitter.com/intent/user?user_id=3100000001"
    }
  },
  {
    "following": {
      "accountId": "3100000004",
      "userLink": "https://twitter.com/intent/user?user_id=3100000004"
    }
  }
]
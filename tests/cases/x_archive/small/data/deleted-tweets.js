window.YTD.deleted_tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1699999999999999990"
          ],
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Ana Reyes",
            "screen_name": "anareyes",
            "indices": [
              "0",
              "9"
            ],
            "id_str": "3100000003",
            "id": "3100000003"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "27"
      ],
      "favorite_count": "0",
      "id_str": "1699999999999999990",
      "truncated": false,
      "retweet_count": "0",
      "id": "1699999999999999990",
      "created_at": "Sun Jan 01 23:59:00 +0000 2023",
      "favorited": false,
      "full_text": "@anareyes oops, wrong photo",
      "lang": "en",
      "in_reply_to_status_id_str": "1699999999999999000",
      "in_reply_to_status_id": "1699999999999999000",
      "in_reply_to_user_id": "3100000003",
      "in_reply_to_user_id_str": "3100000003",
      "in_reply_to_screen_name": "anareyes",
      "deleted_at": "Sun Jan 01 23:59:40 +0000 2023"
    }
  }
]
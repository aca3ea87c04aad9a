window.YTD.tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1700000000000000001"
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
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "52"
      ],
      "favorite_count": "12",
      "id_str": "1700000000000000001",
      "truncated": false,
      "retweet_count": "3",
      "id": "1700000000000000001",
      "created_at": "Mon Jan 02 09:00:00 +0000 2023",
      "favorited": false,
      "full_text": "Lamps lit for the new year &amp; the harbour is calm",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1700000000000000002"
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
            "name": "Mira Okafor",
            "screen_name": "mira_okafor",
            "indices": [
              "0",
              "12"
            ],
            "id_str": "3100000001",
            "id": "3100000001"
          },
          {
            "name": "Tobin Vale",
            "screen_name": "tobinvale",
            "indices": [
              "48",
              "58"
            ],
            "id_str": "3100000002",
            "id": "3100000002"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "61"
      ],
      "favorite_count": "0",
      "id_str": "1700000000000000002",
      "truncated": false,
      "retweet_count": "0",
      "id": "1700000000000000002",
      "created_at": "Mon Jan 02 10:15:30 +0000 2023",
      "favorited": false,
      "full_text": "@mira_okafor thanks, glad you liked the photos! cc @tobinvale",
      "lang": "en",
      "in_reply_to_status_id_str": "1690000000000000001",
      "in_reply_to_status_id": "1690000000000000001",
      "in_reply_to_user_id": "3100000001",
      "in_reply_to_user_id_str": "3100000001",
      "in_reply_to_screen_name": "mira_okafor"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1700000000000000003"
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
              "3",
              "12"
            ],
            "id_str": "3100000003",
            "id": "3100000003"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "59"
      ],
      "favorite_count": "0",
      "id_str": "1700000000000000003",
      "truncated": false,
      "retweet_count": "0",
      "id": "1700000000000000003",
      "created_at": "Tue Jan 03 08:00:00 +0000 2023",
      "favorited": false,
      "full_text": "RT @anareyes: The lighthouse keepers' guild meets on Friday",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1700000000000000004"
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
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/AbCdEf1234",
            "expanded_url": "https://twitter.com/tobinvale/status/1690000000000000009",
            "display_url": "twitter.com/tobinvale/stat…",
            "indices": [
              "15",
              "38"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "37"
      ],
      "favorite_count": "0",
      "id_str": "1700000000000000004",
      "truncated": false,
      "retweet_count": "0",
      "id": "1700000000000000004",
      "created_at": "Wed Jan 04 12:00:00 -0500 2023",
      "favorited": false,
      "full_text": "Worth reading https://t.co/AbCdEf1234",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1700000000000000005"
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
        "user_mentions": [],
        "urls": [],
        "media": [
          {
            "type": "photo",
            "expanded_url": "https://twitter.com/harborlamp/status/1700000000000000005/photo/1"
          }
        ]
      },
      "display_text_range": [
        "0",
        "36"
      ],
      "favorite_count": "40",
      "id_str": "1700000000000000005",
      "truncated": false,
      "retweet_count": "7",
      "id": "1700000000000000005",
      "created_at": "Thu Jan 05 18:30:00 +0000 2023",
      "favorited": false,
      "full_text": "Evening glow https://t.co/Ph0t0Ph0t0",
      "lang": "en",
      "extended_entities": {
        "media": [
          {
            "type": "photo",
            "expanded_url": "https://twitter.com/harborlamp/status/1700000000000000005/photo/1"
          },
          {
            "type": "photo",
            "expanded_url": "https://twitter.com/harborlamp/status/1700000000000000005/photo/1"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1700000000000000006"
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
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/L1nkL1nk00",
            "expanded_url": "https://example.org/beam-notes",
            "display_url": "example.org/beam-notes",
            "indices": [
              "60",
              "83"
            ]
          }
        ],
        "media": [
          {
            "type": "video",
            "expanded_url": "https://twitter.com/harborlamp/status/1700000000000000006/photo/1"
          }
        ]
      },
      "display_text_range": [
        "0",
        "85"
      ],
      "favorite_count": "0",
      "id_str": "1700000000000000006",
      "truncated": false,
      "retweet_count": "0",
      "id": "1700000000000000006",
      "created_at": "Fri Jan 06 07:45:00 +0000 2023",
      "favorited": false,
      "full_text": "A short clip of the beam https://t.co/V1de0V1de0 and notes at https://t.co/L1nkL1nk00",
      "lang": "en",
      "extended_entities": {
        "media": [
          {
            "type": "video",
            "expanded_url": "https://twitter.com/harborlamp/status/1700000000000000006/photo/1"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1700000000000000007"
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
            "name": "",
            "screen_name": "gone_account",
            "indices": [
              "13",
              "26"
            ],
            "id_str": "-1",
            "id": "-1"
          },
          {
            "name": "Lamp Support",
            "screen_name": "lamp_support",
            "indices": [
              "31",
              "44"
            ],
            "id_str": "3100000004",
            "id": "3100000004"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "64"
      ],
      "favorite_count": "0",
      "id_str": "1700000000000000007",
      "truncated": false,
      "retweet_count": "0",
      "id": "1700000000000000007",
      "created_at": "Sat Jan 07 16:20:00 +0000 2023",
      "favorited": false,
      "full_text": "Shout-out to @gone_account and @lamp_support for the spare wicks",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1700000000000000008"
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
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "270"
      ],
      "favorite_count": "0",
      "id_str": "1700000000000000008",
      "truncated": false,
      "retweet_count": "0",
      "id": "1700000000000000008",
      "created_at": "Sun Jan 08 11:11:11 +0000 2023",
      "favorited": false,
      "full_text": "Long-form notes on keeping a harbour lamp lit through winter: trim the wick every evening, keep the glass clean of salt, store the oil somewhere dry and check the seals before the first storm. Thanks to everyone who sent tips & photos this year.… https://t.co/L0ngL0ngL0",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1700000000000000009"
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
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "34"
      ],
      "favorite_count": "0",
      "id_str": "1700000000000000009",
      "truncated": false,
      "retweet_count": "0",
      "id": "1700000000000000009",
      "created_at": "Sun Jan 08 12:00:00 +0000 2023",
      "favorited": false,
      "full_text": "Continuing my own thread: part two",
      "lang": "en",
      "in_reply_to_status_id_str": "1700000000000000008",
      "in_reply_to_status_id": "1700000000000000008",
      "in_reply_to_user_id": "4200000001",
      "in_reply_to_user_id_str": "4200000001",
      "in_reply_to_screen_name": "harborlamp"
    }
  }
]
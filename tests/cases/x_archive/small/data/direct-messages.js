window.YTD.direct_messages.part0 = [
  {
    "dmConversation": {
      "conversationId": "3100000004-4200000001",
      "messages": [
        {
          "messageCreate": {
            "recipientId": "3100000004",
            "reactions": [],
            "urls": [],
            "text": "Great, thank you!",
            "mediaUrls": [],
            "senderId": "4200000001",
            "id": "1800000000000000003",
            "createdAt": "2023-01-09T10:05:00.000Z"
          }
        },
        {
          "messageCreate": {
            "recipientId": "4200000001",
            "reactions": [],
            "urls": [],
            "text": "Hi! Your replacement wicks ship tomorrow.",
            "mediaUrls": [],
            "senderId": "3100000004",
            "id": "1800000000000000002",
            "createdAt": "2023-01-09T10:00:00.000Z"
          }
        },
        {
          "welcomeMessageCreate": {
            "recipientId": "4200000001",
            "urls": [],
            "text": "Welcome to Lamp Support. How can we help?",
            "mediaUrls": [],
            "senderId": "3100000004",
            "id": "1800000000000000001",
            "createdAt": "2023-01-09T09:59:00.000Z"
          }
        }
      ]
    }
  },
  {
    "dmConversation": {
      "conversationId": "3100000001-4200000001",
      "messages": [
        {
          "messageCreate": {
            "recipientId": "4200000001",
            "reactions": [
              {
                "senderId": "4200000001",
                "reactionKey": "like",
                "eventId": "1800000000000000012",
                "createdAt": "2023-01-06T08:01:00.000Z"
              }
            ],
            "urls": [],
            "text": "Loved the evening glow photo",
            "mediaUrls": [],
            "senderId": "3100000001",
            "id": "1800000000000000011",
            "createdAt": "2023-01-06T08:00:00.000Z"
          }
        }
      ]
    }
  }
]
window.YTD.direct_messages_group.part0 = [
  {
    "dmConversation": {
      "conversationId": "1800000000000000100",
      "messages": [
        {
          "messageCreate": {
            "reactions": [],
            "urls": [],
            "text": "See you all at the guild meeting",
            "mediaUrls": [],
            "senderId": "4200000001",
            "id": "1800000000000000102",
            "createdAt": "2023-01-10T19:00:00.000Z"
          }
        },
        {
          "messageCreate": {
            "reactions": [],
            "urls": [],
            "text": "Agenda for Friday is up",
            "mediaUrls": [],
            "senderId": "3100000003",
            "id": "1800000000000000101",
            "createdAt": "2023-01-10T18:00:00.000Z"
          }
        },
        {
          "joinConversation": {
            "initiatingUserId": "3100000003",
            "participantsSnapshot": [
              "3100000003",
              "4200000001",
              "3100000002"
            ],
            "createdAt": "2023-01-10T17:59:00.000Z"
          }
        }
      ]
    }
  }
]
window.YTD.account.part0 = [
  {
    "account": {
      "email": "keeper@example.org",
      "createdVia": "web",
      "username": "harborlamp",
      "accountId": "4200000001",
      "createdAt": "2015-03-01T10:00:00.000Z",
      "accountDisplayName": "Harbor Lamp"
    }
  }
]
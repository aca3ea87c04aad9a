window.YTD.profile.part0 = [
  {
    "profile": {
      "description": {
        "bio": "Keeping the harbour lamp lit",
        "website": "",
        "location": ""
      }
    }
  }
]
window.__THAR_CONFIG = {
  "userInfo": {
    "accountId": "4200000001",
    "userName": "harborlamp",
    "displayName": "Harbor Lamp"
  },
  "archiveInfo": {
    "sizeBytes": "12345",
    "generationDate": "2023-01-12T08:00:00.000Z",
    "isPartialArchive": false
  }
}
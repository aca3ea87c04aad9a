"""Follower history: who came and who left (changes), why they left (why_left), who stays (retention),
and who the audience is (audience). Every function takes a Connection and runs set-based queries."""

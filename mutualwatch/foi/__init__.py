"""Freedom of Information requests made from a campaign case, with their statutory deadlines."""

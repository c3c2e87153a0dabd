"""Privacy: what every table holds of a member (declared beside each table in
`bot.privacy.rules`), a member's export, and erasing a member from a community
(`bot.privacy.store`)."""

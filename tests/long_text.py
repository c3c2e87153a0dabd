"""A six-line cold email, as members paste one (shared by the long-text tests)."""

COLD_EMAIL = """Subject: MS3 interested in IR research at Emory
Dear Dr Lee,
I'm Sam Ortiz, an MS3 at Drexel interested in interventional radiology.
I recently finished a chart review on Y-90 outcomes and presented it at our regional meeting.
Could I ask for 15 minutes to hear about research opportunities in your group?
Thank you, Sam Ortiz"""

"""A member's training background and visa path, shared by profiles and
mentoring: US citizens who trained abroad need no visa; non-US IMGs often
need a J-1 or H-1B, and programs differ in which they sponsor."""

BACKGROUNDS = ("us-grad", "us-img", "non-us-img")
NON_US_IMG = "non-us-img"
VISAS = ("j1", "h1b")
VISA_PATHS = (*VISAS, "undecided")

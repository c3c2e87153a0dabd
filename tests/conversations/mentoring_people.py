"""Sign-up lines the mentoring conversation tests share: two mentors, three mentees."""

ANA = (
    "/mentor signup kinds='research, career' focus=interventional-oncology "
    "stage=attending capacity=2"
)
BEN = "/mentor signup kinds=near-peer,career focus=venous-disease stage=pgy3 capacity=1"
AMIR = "/mentee signup kinds=research focus=interventional-oncology stage=ms3 goal='an abstract'"
BEA = "/mentee signup kinds=near-peer focus=venous-disease stage=ms2 goal='plan away rotations'"
BO = BEA.replace("stage=ms2", "stage=ms1")

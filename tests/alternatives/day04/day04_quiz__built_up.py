day04_quiz = {}
day04_quiz["q1"] = "a"
day04_quiz["q2"] = "c"
day04_quiz["q3"] = "b"
day04_quiz["q4"] = "b"
day04_quiz["q5"] = "d"
day04_quiz["q6"] = "a"

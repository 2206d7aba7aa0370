day01_quiz = {}
day01_quiz["q1"] = "b"
day01_quiz["q2"] = "c"
day01_quiz.update(q3="c", q4="a", q5="b", q6="a")

day01_quiz = {}
day01_quiz["q1"] = "c"
day01_quiz["q2"] = "b"
day01_quiz.update(q3="d", q4="a", q5="c", q6="b")

day07_quiz = dict(q1="d", q2="c")
day07_quiz["q3"] = "a"
day07_quiz["q4"] = "c"
day07_quiz.update({"q5": "b", "q6": "b", "q7": "a"})

day05_quiz = dict(q1="c", q2="b")
day05_quiz["q3"] = "a"
day05_quiz["q4"] = "d"
day05_quiz.update({'q5': 'b', 'q6': 'c', 'q7': 'a'})

day06_quiz = ["c", "d", "b", "b", "a", "c", "d"]

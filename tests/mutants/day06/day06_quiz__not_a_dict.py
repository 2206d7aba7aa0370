day06_quiz = ["b", "c", "a", "d", "b", "c", "a"]

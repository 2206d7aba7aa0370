day08_quiz = ["a", "b", "c", "b", "c", "d", "d", "a"]

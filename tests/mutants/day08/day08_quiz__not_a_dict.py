day08_quiz = ["b", "b", "a", "b", "c", "c", "b", "a"]

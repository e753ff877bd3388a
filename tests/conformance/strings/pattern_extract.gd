text = "Call 555 or 1234, ask Bob"
print(text.extract(:words))     # expect: [Call, or, ask, Bob]
print(text.extract(:numbers))   # expect: [555, 1234]
print("mail ann@example.com or bob@test.org.".extract(:emails))
# expect: [ann@example.com, bob@test.org]
print("AbCdE".extract(:uppercase))  # expect: [A, C, E]
